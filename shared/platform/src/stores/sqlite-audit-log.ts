import type { AuditRecord } from '@restaurant/contracts/audit'
import type { AuditFilter, AuditLog } from '../audit/audit-log.js'
import { storeFileErrors } from './sqlite-access.js'
import { openStoreFile } from './store-file.js'

const auditFileErrors = storeFileErrors('AUDIT', 'audit')
export const isSqliteAuditUnavailable = auditFileErrors.isUnavailable

// The triggers make the table append-only for any writer of the file, not only for this adapter.
const AUDIT_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_log (
  id TEXT PRIMARY KEY NOT NULL,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  record_json TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS audit_log_by_action ON audit_log (action, id);
CREATE INDEX IF NOT EXISTS audit_log_by_actor ON audit_log (actor, id);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`

type FilterRow = { action: string | null; actor: string | null; since: string | null; cursor: string | null; limit: number }

/** The embedded audit log: `audit.sqlite` in `dataDir`, shared by every process of one machine (WAL). */
export async function createSqliteAuditLog({ dataDir }: { dataDir: string }): Promise<AuditLog> {
  const { db, serve, write } = await openStoreFile(dataDir, 'audit.sqlite', AUDIT_SCHEMA, auditFileErrors.access)
  const insert = db.prepare<[string, string, string, string, string]>('INSERT INTO audit_log VALUES (?, ?, ?, ?, ?)')
  const select = db.prepare<FilterRow, { json: string }>(
    `SELECT record_json AS json FROM audit_log
     WHERE (@action IS NULL OR action = @action) AND (@actor IS NULL OR actor = @actor)
       AND (@since IS NULL OR at >= @since) AND (@cursor IS NULL OR id < @cursor)
     ORDER BY id DESC LIMIT @limit`,
  )
  const rowOf = ({ action, actor, since, cursor, limit }: AuditFilter): FilterRow => ({ action: action ?? null, actor: actor ?? null, since: since ?? null, cursor: cursor ?? null, limit })
  return {
    append: (record) => write(() => void insert.run(record.id, record.at, record.action, record.actor.subject, JSON.stringify(record))),
    read: (filter) => serve(() => select.all(rowOf(filter)).map((row) => JSON.parse(row.json) as AuditRecord)),
    close: async () => {
      if (db.open) db.close()
    },
  }
}
