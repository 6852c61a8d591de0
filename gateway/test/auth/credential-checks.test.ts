import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import t, { type Test } from 'tap'
import { mintApiKey, type StoredApiKey } from '@restaurant/platform/auth/api-keys'
import { createCredentialCache } from '@restaurant/platform/auth/credential-cache'
import type { CredentialSnapshot } from '@restaurant/platform/auth/revocations'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { REDIS_URL } from '../../../test/support/isolation.js'
import { createCredentialChecks } from '../../src/auth/credential-checks.js'
import { CredentialSourceUnavailableError, type CredentialSource } from '../../src/auth/waiter-credentials.js'

const log = createLogger({ name: 'test', level: 'silent', pretty: false })
const revoked = ({ apiKey, hash }: StoredApiKey): StoredApiKey => ({ apiKey: { ...apiKey, revokedAt: new Date().toISOString() }, hash })
const issuedNow = () => Math.floor(Date.now() / 1000)

/** The waiter's truth in memory, counting how often it is asked; `down` makes it unreachable. */
function fakeWaiter() {
  const truth: CredentialSnapshot = { keys: [], subjects: [], tokens: [] }
  const asked = { snapshot: 0, apiKey: 0, tokenRevoked: 0 }
  const state = { truth, asked, down: false }
  const reachable = () => {
    if (state.down) throw new CredentialSourceUnavailableError()
  }
  const source: CredentialSource = {
    snapshot: async () => (reachable(), asked.snapshot++, structuredClone(truth)),
    apiKey: async (id) => (reachable(), asked.apiKey++, truth.keys.find((stored) => stored.apiKey.id === id)),
    tokenRevoked: async ({ subject }) => (reachable(), asked.tokenRevoked++, truth.subjects.some((revocation) => revocation.subject === subject)),
  }
  return Object.assign(state, { source })
}

/** Checks over the machine's Redis under a prefix of the test's own. */
function onRealRedis(t: Test) {
  const prefix = `test-credential-checks-${randomUUID()}:`
  const redis = new Redis(REDIS_URL, { keyPrefix: prefix, maxRetriesPerRequest: 1 })
  t.teardown(async () => {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(prefix.length)))
    redis.disconnect()
  })
  const waiter = fakeWaiter()
  return { redis, waiter, cache: createCredentialCache(redis), checks: createCredentialChecks(redis, waiter.source, log) }
}

t.test('a cache never filled is filled from the waiter before it is read, once', async (t) => {
  const { waiter, checks, cache } = onRealRedis(t)
  const { key, stored } = mintApiKey({ name: 'till', roles: ['customer'] }, new Date())
  waiter.truth.keys.push(stored)
  const identities = await Promise.all([checks.authenticateKey(key), checks.authenticateKey(key)])
  t.same(identities, [{ subject: `key:${stored.apiKey.id}`, roles: ['customer'] }, { subject: `key:${stored.apiKey.id}`, roles: ['customer'] }])
  t.same(waiter.asked, { snapshot: 1, apiKey: 0, tokenRevoked: 0 })
  t.equal((await cache.readKey(stored.apiKey.id)).filledOn, await cache.runId(), 'marked filled on this Redis run')
})

t.test('a cache filled on another Redis run (a restored snapshot) is not trusted: a key revoked since is refused', async (t) => {
  const { waiter, checks, cache } = onRealRedis(t)
  const { key, stored } = mintApiKey({ name: 'till', roles: ['customer'] }, new Date())
  await cache.fill({ keys: [stored], subjects: [], tokens: [] }, 'a-run-before-the-restart')
  waiter.truth.keys.push(revoked(stored))
  t.equal(await checks.authenticateKey(key), undefined)
  t.equal(waiter.asked.snapshot, 1)
})

t.test("after the run's keys are deleted, a key still works and revocations still hold, from a refill", async (t) => {
  const { redis, waiter, checks } = onRealRedis(t)
  const live = mintApiKey({ name: 'till', roles: ['customer'] }, new Date())
  const gone = mintApiKey({ name: 'old till', roles: ['customer'] }, new Date())
  waiter.truth.keys.push(live.stored, revoked(gone.stored))
  waiter.truth.subjects.push({ subject: 'mallory', revokedAt: new Date(Date.now() + 1_000).toISOString() })
  t.ok(await checks.authenticateKey(live.key))
  await redis.del(...(await redis.keys(`${redis.options.keyPrefix}*`)).map((name) => name.slice(String(redis.options.keyPrefix).length)))
  t.ok(await checks.authenticateKey(live.key), 'the live key')
  t.equal(await checks.authenticateKey(gone.key), undefined, 'the revoked key')
  t.ok(await checks.tokenRevoked({ subject: 'mallory', issuedAt: issuedNow() }), "the revoked subject's token")
  t.notOk(await checks.tokenRevoked({ subject: 'alice', issuedAt: issuedNow() }), "another subject's")
  t.equal(waiter.asked.snapshot, 2)
})

t.test('a key the trusted cache lacks is asked of the waiter, then cached', async (t) => {
  const { waiter, checks } = onRealRedis(t)
  t.notOk(await checks.tokenRevoked({ subject: 'alice', issuedAt: issuedNow() }), 'fills the cache')
  const { key, stored } = mintApiKey({ name: 'till', roles: ['customer'] }, new Date())
  waiter.truth.keys.push(stored)
  t.ok(await checks.authenticateKey(key))
  t.ok(await checks.authenticateKey(key))
  t.same(waiter.asked, { snapshot: 1, apiKey: 1, tokenRevoked: 0 })
})

t.test('while Redis cannot answer, every check asks the waiter; without the waiter too, a check fails', async (t) => {
  const redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null })
  redis.on('error', () => undefined)
  t.teardown(() => redis.disconnect())
  const waiter = fakeWaiter()
  const checks = createCredentialChecks(redis, waiter.source, log)
  const { key, stored } = mintApiKey({ name: 'till', roles: ['customer'] }, new Date())
  waiter.truth.keys.push(stored)
  waiter.truth.subjects.push({ subject: 'mallory', revokedAt: new Date().toISOString() })
  t.ok(await checks.authenticateKey(key))
  t.ok(await checks.tokenRevoked({ subject: 'mallory', issuedAt: issuedNow() - 10 }))
  t.same(waiter.asked, { snapshot: 0, apiKey: 1, tokenRevoked: 1 })
  waiter.down = true
  await t.rejects(checks.authenticateKey(key), CredentialSourceUnavailableError)
})

t.test('a cache that cannot be refilled (the waiter away) fails the check rather than trust what it holds', async (t) => {
  const { waiter, checks, cache } = onRealRedis(t)
  const { key, stored } = mintApiKey({ name: 'till', roles: ['customer'] }, new Date())
  await cache.fill({ keys: [stored], subjects: [], tokens: [] }, 'a-run-before-the-restart')
  waiter.down = true
  await t.rejects(checks.authenticateKey(key), CredentialSourceUnavailableError)
})
