import t from 'tap'
import { mintApiKey, type StoredApiKey } from '@restaurant/platform/auth/api-keys'
import { createCredentialCache } from '@restaurant/platform/auth/credential-cache'
import { bearer, staff, tokenFor } from '../../../test/support/credentials.js'
import { startGateway } from '../../../test/support/gateway.js'
import { credentialStandIn } from '../credential-stand-in.js'
import { endlessStreams } from '../upstream.js'

/** Opens the staff stream with `headers`; resolves with how long it stayed open, or undefined if it outlived `withinMs`. */
async function openFor(url: string, headers: Record<string, string>, withinMs: number): Promise<number | undefined> {
  const opened = Date.now()
  const signal = AbortSignal.timeout(withinMs)
  const response = await fetch(`${url}/api/orders/events`, { headers: { accept: 'text/event-stream', ...headers }, signal })
  if (response.status !== 200) throw new Error(`the stream answered ${response.status}`)
  try {
    for await (const _chunk of response.body ?? []) void _chunk
  } catch {
    // Cut off by the gateway (the body read fails), or given up on by this client.
  }
  return signal.aborted ? undefined : Date.now() - opened
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A gateway in front of endless streams, checking credentials every 200 ms, and the waiter's truth behind it. */
async function streamingGateway(t: Parameters<typeof startGateway>[0]) {
  const credentials = credentialStandIn()
  const { gateway, redis, config } = await startGateway(t, await endlessStreams(t, credentials), { STREAM_CREDENTIAL_CHECK_MS: '200' })
  const cache = createCredentialCache(redis)
  return { url: await gateway.listen({ host: '127.0.0.1', port: 0 }), truth: credentials.truth, cache, config }
}

t.test('a stream opened with a JWT ends when the token expires; one with a lasting token stays open', async (t) => {
  const { url } = await streamingGateway(t)
  const expiring = await openFor(url, bearer(tokenFor(staff, 2)), 6_000)
  t.ok(expiring !== undefined && expiring < 3_500, `the expiring token's stream ended after ${expiring} ms`)
  t.equal(await openFor(url, bearer(tokenFor(staff, 3_600)), 1_500), undefined, 'a valid token keeps its stream')
})

t.test('a stream opened with an API key ends once the key is revoked', async (t) => {
  const { url, truth, cache, config } = await streamingGateway(t)
  const { key, stored } = mintApiKey({ name: 'wall screen', roles: ['staff'] }, new Date())
  truth.keys.push(stored)
  const open = openFor(url, bearer(key), 6_000)
  await pause(500)
  const revokedAt = Date.now()
  // As the waiter revokes: in its store, then in the cache.
  const revoked: StoredApiKey = { ...stored, apiKey: { ...stored.apiKey, revokedAt: new Date().toISOString() } }
  truth.keys.splice(0, 1, revoked)
  await cache.putKey(revoked)
  t.ok((await open) !== undefined, 'the revoked key lost its stream')
  t.comment(`closed ${Date.now() - revokedAt} ms after the revocation; the key is checked every ${config.STREAM_CREDENTIAL_CHECK_MS} ms`)
})

t.test("a stream opened with a JWT ends once its subject's tokens are revoked", async (t) => {
  const { url, truth, cache } = await streamingGateway(t)
  const open = openFor(url, bearer(tokenFor(staff, 3_600)), 6_000)
  await pause(500)
  const revocation = { subject: staff.subject, revokedAt: new Date().toISOString() }
  truth.subjects.push(revocation)
  await cache.putSubject(revocation)
  t.ok((await open) !== undefined, 'the revoked token lost its stream')
})
