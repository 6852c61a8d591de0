import t from 'tap'
import type { Identity } from '@restaurant/contracts/identity'
import { admin, badTokens, bearer, tokenFor } from '../support/credentials.js'
import { removeRedisKeys } from '../support/isolation.js'
import { startStack } from '../support/stack.js'

const CHECK_MS = 500
const MAX_LIFETIME_SECONDS = 3_600
const stack = await startStack({ STREAM_CREDENTIAL_CHECK_MS: String(CHECK_MS), JWT_MAX_LIFETIME_SECONDS: String(MAX_LIFETIME_SECONDS) })
t.teardown(stack.stop)

const call = (method: 'GET' | 'POST' | 'DELETE', path: string, headers: Record<string, string>, body?: object) =>
  fetch(`${stack.gateway.url}${path}`, { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) })
const statusOf = async (path: string, headers: Record<string, string>) => (await call('GET', path, headers)).status
const asAdmin = bearer(admin)

async function newKey(name: string): Promise<{ id: string; key: string }> {
  return (await (await call('POST', '/api/keys', asAdmin, { name, roles: ['customer'] })).json()) as { id: string; key: string }
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { jti: string; exp: number }

/** Opens the staff stream; resolves with how long after `since()` it was closed, or undefined if it outlived `withinMs`. */
async function streamEnd(headers: Record<string, string>, since: () => number, withinMs: number): Promise<number | undefined> {
  const signal = AbortSignal.timeout(withinMs)
  const response = await fetch(`${stack.gateway.url}/api/orders/events`, { headers: { accept: 'text/event-stream', ...headers }, signal })
  if (response.status !== 200) throw new Error(`the stream answered ${response.status}`)
  try {
    for await (const _chunk of response.body ?? []) void _chunk
  } catch {
    // Cut off by the gateway, or given up on by this client.
  }
  return signal.aborted ? undefined : Date.now() - since()
}

t.test("after the run's Redis keys are lost, an API key still authenticates and a revoked one still fails", async (t) => {
  const [live, revoked] = [await newKey('till'), await newKey('old till')]
  t.equal((await call('DELETE', `/api/keys/${revoked.id}`, asAdmin)).status, 200)
  t.equal(await statusOf('/api/orders', bearer(live.key)), 200)
  t.equal(await statusOf('/api/orders', bearer(revoked.key)), 401)
  await removeRedisKeys(stack.run.redisPrefix)
  t.equal(await statusOf('/api/orders', bearer(live.key)), 200, 'the live key, from the refilled cache')
  t.equal(await statusOf('/api/orders', bearer(revoked.key)), 401, 'the revoked key stays revoked')
  t.match(((await (await call('GET', '/api/keys', asAdmin)).json()) as { keys: unknown[] }).keys, [{ id: live.id }, { id: revoked.id, revokedAt: String }], 'the store still lists both')
})

t.test("a JWT revoked by its subject is refused, and its open stream is closed; the subject's new tokens work", async (t) => {
  const chef: Identity = { subject: 'chef-revoked', roles: ['staff'] }
  const token = tokenFor(chef)
  let revokedAt = 0
  const closed = streamEnd(bearer(token), () => revokedAt, 10_000 + CHECK_MS)
  await new Promise((resolve) => setTimeout(resolve, 1_000))
  revokedAt = Date.now()
  t.equal((await call('POST', '/api/revocations', asAdmin, { subject: chef.subject })).status, 201)
  const after = await closed
  t.ok(after !== undefined, 'the stream was closed')
  t.comment(`closed ${after} ms after the revocation; checked every ${CHECK_MS} ms`)
  const refused = await call('GET', '/api/orders', bearer(token))
  t.equal(refused.status, 401)
  t.match(await refused.json(), { code: 'unauthorized', title: /revoked/ })
  await removeRedisKeys(stack.run.redisPrefix)
  t.equal(await statusOf('/api/orders', bearer(token)), 401, 'still refused once the cache was lost')
  await new Promise((resolve) => setTimeout(resolve, 1_100))
  t.equal(await statusOf('/api/orders', bearer(tokenFor(chef))), 200, 'a token issued after the revocation')
})

t.test('a JWT revoked by its id is refused, and its open stream is closed; another token of its subject works', async (t) => {
  const chef: Identity = { subject: 'chef-one-token', roles: ['staff'] }
  const token = tokenFor(chef)
  const { jti, exp } = claimsOf(token)
  let revokedAt = 0
  const closed = streamEnd(bearer(token), () => revokedAt, 10_000 + CHECK_MS)
  await new Promise((resolve) => setTimeout(resolve, 1_000))
  revokedAt = Date.now()
  t.equal((await call('POST', '/api/revocations', asAdmin, { tokenId: jti, expiresAt: new Date(exp * 1000).toISOString() })).status, 201)
  t.ok((await closed) !== undefined, 'the stream was closed')
  t.equal(await statusOf('/api/orders', bearer(token)), 401)
  t.equal(await statusOf('/api/orders', bearer(tokenFor(chef))), 200, 'another token of the same subject')
  t.match(await (await call('GET', '/api/revocations', asAdmin)).json(), { tokens: [{ tokenId: jti }] })
})

t.test('a JWT issued to live longer than JWT_MAX_LIFETIME_SECONDS, or without iat, is refused with 401', async (t) => {
  const tooLong = await call('GET', '/api/orders', bearer(tokenFor({ subject: 'alice', roles: ['customer'] }, MAX_LIFETIME_SECONDS + 1)))
  t.equal(tooLong.status, 401)
  t.match(await tooLong.json(), { code: 'unauthorized', title: /lives longer than the 3600 seconds/ })
  t.equal(await statusOf('/api/orders', bearer(badTokens.noIssuedAt)), 401)
  t.equal(await statusOf('/api/orders', bearer(tokenFor({ subject: 'alice', roles: ['customer'] }, MAX_LIFETIME_SECONDS))), 200, 'the maximum itself')
})
