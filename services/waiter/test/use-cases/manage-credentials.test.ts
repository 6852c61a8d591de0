import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { createSqliteCredentialStore } from '../../src/adapters/credential-store/sqlite-credential-store.js'
import type { CredentialCacheWrites } from '../../src/use-cases/credential-store.js'
import { createManageCredentials } from '../../src/use-cases/manage-credentials.js'
import { capturedLog, messages } from './fake-ports.js'

const now = new Date('2026-01-02T03:04:05.000Z')

/** The use case over a real embedded store, and a cache that records its writes (or fails, when `down`). */
async function credentialsWith(t: Test) {
  const dataDir = await mkdtemp(join(tmpdir(), 'waiter-manage-credentials-'))
  const store = await createSqliteCredentialStore({ dataDir })
  t.teardown(async () => {
    await store.close()
    await rm(dataDir, { recursive: true, force: true })
  })
  const cache = { down: false, writes: [] as unknown[], forgotten: 0 }
  const write = async (entry: unknown) => {
    if (cache.down) throw new Error('Connection is closed.')
    cache.writes.push(entry)
  }
  const forget = async () => {
    if (cache.down) throw new Error('Connection is closed.')
    cache.forgotten++
  }
  const writes: CredentialCacheWrites = { putKey: write, putSubject: write, putToken: write, forget }
  const { log, lines } = capturedLog()
  return { credentials: createManageCredentials({ store, cache: writes, now: () => now, log }), store, cache, lines }
}

t.test('a new key is stored, then cached; the store keeps only its hash', async (t) => {
  const { credentials, store, cache } = await credentialsWith(t)
  const { key, apiKey } = await credentials.keys.create({ name: 'till', roles: ['customer'] })
  const stored = await store.key(apiKey.id)
  t.same(stored?.apiKey, apiKey)
  t.same(cache.writes, [stored])
  t.notOk(JSON.stringify(stored).includes(key.slice(-43)))
})

t.test('a new key the cache missed is still created: a gateway asks the waiter for a key its cache lacks', async (t) => {
  const { credentials, store, cache, lines } = await credentialsWith(t)
  cache.down = true
  const { apiKey } = await credentials.keys.create({ name: 'till', roles: ['customer'] })
  t.ok(await store.key(apiKey.id))
  t.equal(messages(lines, 'credential cache not updated').length, 1)
})

t.test('a revocation the cache missed is stored but answered 503, and sending it again reaches the cache', async (t) => {
  const { credentials, store, cache } = await credentialsWith(t)
  const { apiKey } = await credentials.keys.create({ name: 'till', roles: ['customer'] })
  cache.down = true
  await t.rejects(credentials.keys.revoke(apiKey.id), { code: 'CREDENTIAL_CACHE_NOT_UPDATED', statusCode: 503 })
  await t.rejects(credentials.revoke({ subject: 'alice' }), { code: 'CREDENTIAL_CACHE_NOT_UPDATED', statusCode: 503 })
  t.ok((await store.key(apiKey.id))?.apiKey.revokedAt, 'the store has it')
  cache.down = false
  t.equal((await credentials.keys.revoke(apiKey.id))?.revokedAt, now.toISOString())
  t.match(cache.writes.at(-1), { apiKey: { id: apiKey.id, revokedAt: now.toISOString() } })
})

t.test('after a revocation the cache missed, the cache is marked for refill once Redis answers again, and only then', async (t) => {
  const { credentials, cache } = await credentialsWith(t)
  await credentials.healCache()
  t.equal(cache.forgotten, 0, 'nothing missed, nothing to heal')
  cache.down = true
  await t.rejects(credentials.revoke({ subject: 'alice' }), { code: 'CREDENTIAL_CACHE_NOT_UPDATED' })
  await t.rejects(credentials.healCache(), 'Redis still away: the heal waits for the next reconnection')
  cache.down = false
  await credentials.healCache()
  await credentials.healCache()
  t.equal(cache.forgotten, 1)
})

t.test('tokens are revoked by subject or by id, listed, and told to the gateways', async (t) => {
  const { credentials, cache } = await credentialsWith(t)
  t.same(await credentials.revoke({ subject: 'alice' }), { subject: 'alice', revokedAt: now.toISOString() })
  const expiresAt = '2026-01-02T05:00:00+01:00'
  t.same(await credentials.revoke({ tokenId: 'token-1', expiresAt }), { tokenId: 'token-1', expiresAt: '2026-01-02T04:00:00.000Z', revokedAt: now.toISOString() })
  t.equal(cache.writes.length, 2)
  t.same(await credentials.revocations(), { subjects: [{ subject: 'alice', revokedAt: now.toISOString() }], tokens: [{ tokenId: 'token-1', expiresAt: '2026-01-02T04:00:00.000Z', revokedAt: now.toISOString() }] })
  t.ok(await credentials.tokenRevoked({ subject: 'alice', issuedAt: now.getTime() / 1000 - 60 }), 'a token of the subject issued before')
  t.notOk(await credentials.tokenRevoked({ subject: 'alice', issuedAt: now.getTime() / 1000 + 60 }), 'one issued after')
  t.ok(await credentials.tokenRevoked({ subject: 'bob', tokenId: 'token-1', issuedAt: 0 }), 'the token revoked by id')
})

t.test('the snapshot a gateway fills its cache from holds every key and revocation', async (t) => {
  const { credentials } = await credentialsWith(t)
  const { apiKey } = await credentials.keys.create({ name: 'till', roles: ['customer'] })
  await credentials.keys.revoke(apiKey.id)
  await credentials.revoke({ subject: 'alice' })
  const snapshot = await credentials.snapshot()
  t.match(snapshot, { keys: [{ apiKey: { id: apiKey.id, revokedAt: String }, hash: /^[0-9a-f]{64}$/ }], subjects: [{ subject: 'alice' }], tokens: [] })
})
