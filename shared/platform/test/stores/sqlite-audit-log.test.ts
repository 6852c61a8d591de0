import { join } from 'node:path'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import { buildAuditRecord } from '../../src/audit/audit-log.js'
import { createSqliteAuditLog, isSqliteAuditUnavailable } from '../../src/stores/sqlite-audit-log.js'
import { auditLogContract } from './audit-log.contract.js'
import { reopenableStore } from './reopenable-store.js'

async function makeLog(t: Test) {
  const dataDir = t.testdir()
  return { ...(await reopenableStore(t, () => createSqliteAuditLog({ dataDir }), async () => undefined)), dataDir }
}

t.test('SQLite audit log', (t) => {
  auditLogContract(t, { makeLog })

  t.test('the file itself refuses to change or delete a record, whoever writes to it', async (t) => {
    const { store, dataDir } = await makeLog(t)
    await store.append(buildAuditRecord({ action: 'api-key.revoked', target: 'abc' }, { identity: { subject: 'cli:ops', roles: ['admin'] }, requestId: 'cli-1' }, new Date()))
    const db = new Database(join(dataDir, 'audit.sqlite'))
    t.teardown(() => db.close())
    t.throws(() => db.prepare("UPDATE audit_log SET action = 'nothing'").run(), /append-only/)
    t.throws(() => db.prepare('DELETE FROM audit_log').run(), /append-only/)
    t.equal((await store.read({ limit: 10 })).length, 1)
  })

  t.test('a closed log fails as unavailable', async (t) => {
    const { store } = await makeLog(t)
    await store.close()
    t.ok(isSqliteAuditUnavailable(await store.read({ limit: 1 }).catch((error: unknown) => error)))
  })
  t.end()
})
