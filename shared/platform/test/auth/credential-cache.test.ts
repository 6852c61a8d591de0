import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import t, { type Test } from 'tap'
import { mintApiKey, type StoredApiKey } from '../../src/auth/api-keys.js'
import { createCredentialCache } from '../../src/auth/credential-cache.js'

const empty = { keys: [], subjects: [], tokens: [] }
const hourFromNow = () => new Date(Date.now() + 3_600_000).toISOString()

async function cacheOnRealRedis(t: Test) {
  const prefix = `test-credential-cache-${randomUUID()}:`
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: prefix })
  t.teardown(async () => {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(prefix.length)))
    redis.disconnect()
  })
  return { cache: createCredentialCache(redis), redis }
}

const revoked = ({ apiKey, hash }: StoredApiKey): StoredApiKey => ({ apiKey: { ...apiKey, revokedAt: '2026-01-02T04:00:00.000Z' }, hash })

t.test('a cached key reads back as it was written, with the run the cache was filled on', async (t) => {
  const { cache } = await cacheOnRealRedis(t)
  const { stored } = mintApiKey({ name: 'till', roles: ['customer'] }, new Date())
  t.same(await cache.readKey(stored.apiKey.id), { filledOn: null }, 'nothing yet, and never filled')
  await cache.fill({ ...empty, keys: [stored] }, 'run-1')
  t.same(await cache.readKey(stored.apiKey.id), { filledOn: 'run-1', stored })
  await cache.forget()
  t.same(await cache.readKey(stored.apiKey.id), { filledOn: null, stored }, 'forgotten: to be refilled, its entries kept')
})

t.test('a fill from an older read never undoes a revocation written meanwhile', async (t) => {
  const { cache } = await cacheOnRealRedis(t)
  const { stored } = mintApiKey({ name: 'till', roles: ['customer'] }, new Date())
  await cache.putKey(revoked(stored))
  await cache.fill({ keys: [stored], subjects: [{ subject: 'alice', revokedAt: '2026-01-01T00:00:00.000Z' }], tokens: [] }, 'run-1')
  t.ok((await cache.readKey(stored.apiKey.id)).stored?.apiKey.revokedAt, 'the key stays revoked')

  await cache.putSubject({ subject: 'bob', revokedAt: '2026-01-02T00:00:00.000Z' })
  await cache.fill({ ...empty, subjects: [{ subject: 'bob', revokedAt: '2026-01-01T00:00:00.000Z' }] }, 'run-1')
  const facts = await cache.readRevocation({ subject: 'bob', issuedAt: 0 })
  t.equal(facts.subjectRevokedAtMs, Date.parse('2026-01-02T00:00:00.000Z'), "a subject's revocation only moves later")
})

t.test('a revoked token is known until it expires; another token of its subject is not revoked by it', async (t) => {
  const { cache } = await cacheOnRealRedis(t)
  await cache.putToken({ tokenId: 'live', expiresAt: hourFromNow(), revokedAt: new Date().toISOString() })
  await cache.putToken({ tokenId: 'ended', expiresAt: new Date(Date.now() - 1_000).toISOString(), revokedAt: new Date().toISOString() })
  t.match(await cache.readRevocation({ subject: 'alice', tokenId: 'live', issuedAt: 0 }), { tokenRevoked: true, subjectRevokedAtMs: undefined })
  t.match(await cache.readRevocation({ subject: 'alice', tokenId: 'ended', issuedAt: 0 }), { tokenRevoked: false })
  t.match(await cache.readRevocation({ subject: 'alice', tokenId: 'other', issuedAt: 0 }), { tokenRevoked: false })
})

t.test("the run id is the connected Redis's own, the same on every connection to it", async (t) => {
  const { cache, redis } = await cacheOnRealRedis(t)
  const runId = await cache.runId()
  t.match(runId, /^[0-9a-f]{40}$/)
  const other = redis.duplicate()
  t.teardown(() => other.disconnect())
  t.equal(await createCredentialCache(other).runId(), runId)
})
