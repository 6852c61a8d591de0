import type Database from 'better-sqlite3'
import type { StoredApiKey } from '@restaurant/platform/auth/api-keys'
import type { SubjectRevocation, TokenRevocation } from '@restaurant/platform/auth/revocations'
import { storeFileErrors } from '@restaurant/platform/stores/sqlite-access'
import { openStoreFile } from '@restaurant/platform/stores/store-file'
import type { CredentialStore } from '../../use-cases/credential-store.js'

const credentialFileErrors = storeFileErrors('CREDENTIAL', 'credential')
export const isSqliteCredentialUnavailable = credentialFileErrors.isUnavailable

// Times are ISO strings of one length, so comparing them as text compares the times.
const CREDENTIAL_SCHEMA = `
CREATE TABLE IF NOT EXISTS api_keys (id TEXT PRIMARY KEY NOT NULL, created_at TEXT NOT NULL, key_json TEXT NOT NULL, hash TEXT NOT NULL, revoked_at TEXT) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS api_keys_oldest ON api_keys (created_at, id);
CREATE TABLE IF NOT EXISTS subject_revocations (subject TEXT PRIMARY KEY NOT NULL, revoked_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS token_revocations (token_id TEXT PRIMARY KEY NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS token_revocations_expiry ON token_revocations (expires_at);
`

type KeyRow = { key_json: string; hash: string; revoked_at: string | null }
type SubjectRow = { subject: string; revoked_at: string }
type TokenRow = { token_id: string; expires_at: string; revoked_at: string }

const keyOf = (row: KeyRow): StoredApiKey => {
  const apiKey = JSON.parse(row.key_json) as StoredApiKey['apiKey']
  return { apiKey: row.revoked_at ? { ...apiKey, revokedAt: row.revoked_at } : apiKey, hash: row.hash }
}
const subjectOf = (row: SubjectRow): SubjectRevocation => ({ subject: row.subject, revokedAt: row.revoked_at })
const tokenOf = (row: TokenRow): TokenRevocation => ({ tokenId: row.token_id, expiresAt: row.expires_at, revokedAt: row.revoked_at })

/** The embedded credential store: `credentials.sqlite` in `dataDir`, shared by the waiters of one machine (WAL). */
export async function createSqliteCredentialStore({ dataDir }: { dataDir: string }): Promise<CredentialStore> {
  const { db, serve, write } = await openStoreFile(dataDir, 'credentials.sqlite', CREDENTIAL_SCHEMA, credentialFileErrors.access)
  const q = statements(db)
  return {
    addKey: ({ apiKey, hash }) => write(() => void q.addKey.run(apiKey.id, apiKey.createdAt, JSON.stringify(apiKey), hash)),
    key: (id) => serve(() => q.key(id)),
    keys: () => serve(() => (q.keys.all() as KeyRow[]).map(keyOf)),
    revokeKey: (id, at) => write(() => (q.revokeKey.run(at, id), q.key(id))),
    revokeSubject: ({ subject, revokedAt }) => write(() => subjectOf(q.revokeSubject.get(subject, revokedAt) as SubjectRow)),
    revokeToken: ({ tokenId, expiresAt, revokedAt }) => write(() => (q.revokeToken.run(tokenId, expiresAt, revokedAt), tokenOf(q.token.get(tokenId) as TokenRow))),
    revocations: (now) =>
      serve(() => ({ subjects: (q.subjects.all() as SubjectRow[]).map(subjectOf), tokens: (q.tokens.all(now.toISOString()) as TokenRow[]).map(tokenOf) })),
    revocationOf: ({ subject, tokenId }, now) =>
      serve(() => {
        const bySubject = q.subject.get(subject) as SubjectRow | undefined
        const byToken = tokenId === undefined ? undefined : (q.token.get(tokenId) as TokenRow | undefined)
        return { subjectRevokedAtMs: bySubject && Date.parse(bySubject.revoked_at), tokenRevoked: byToken !== undefined && byToken.expires_at > now.toISOString() }
      }),
    close: async () => {
      if (db.open) db.close()
    },
  }
}

function statements(db: Database.Database) {
  const keyRow = db.prepare('SELECT key_json, hash, revoked_at FROM api_keys WHERE id = ?')
  return {
    addKey: db.prepare('INSERT INTO api_keys (id, created_at, key_json, hash) VALUES (?, ?, ?, ?)'),
    key: (id: string) => {
      const row = keyRow.get(id) as KeyRow | undefined
      return row && keyOf(row)
    },
    keys: db.prepare('SELECT key_json, hash, revoked_at FROM api_keys ORDER BY created_at, id'),
    revokeKey: db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    revokeSubject: db.prepare(
      `INSERT INTO subject_revocations (subject, revoked_at) VALUES (?, ?)
       ON CONFLICT (subject) DO UPDATE SET revoked_at = max(revoked_at, excluded.revoked_at) RETURNING subject, revoked_at`,
    ),
    subject: db.prepare('SELECT subject, revoked_at FROM subject_revocations WHERE subject = ?'),
    subjects: db.prepare('SELECT subject, revoked_at FROM subject_revocations ORDER BY subject'),
    revokeToken: db.prepare('INSERT INTO token_revocations (token_id, expires_at, revoked_at) VALUES (?, ?, ?) ON CONFLICT (token_id) DO NOTHING'),
    token: db.prepare('SELECT token_id, expires_at, revoked_at FROM token_revocations WHERE token_id = ?'),
    tokens: db.prepare('SELECT token_id, expires_at, revoked_at FROM token_revocations WHERE expires_at > ? ORDER BY expires_at, token_id'),
  }
}
