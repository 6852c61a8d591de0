import t from 'tap'
import { createApiKeys } from '@restaurant/platform/auth/api-keys'
import { bearer, staff, tokenFor } from '../../../test/support/credentials.js'
import { startGateway } from '../../../test/support/gateway.js'
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

t.test("a stream opened with a JWT ends when the token expires; one opened with an API key ends once the key is revoked", async (t) => {
  const { gateway, redis, config } = await startGateway(t, await endlessStreams(t), { STREAM_CREDENTIAL_CHECK_MS: '200' })
  const url = await gateway.listen({ host: '127.0.0.1', port: 0 })

  const expiring = await openFor(url, bearer(tokenFor(staff, 2)), 6_000)
  t.ok(expiring !== undefined && expiring < 3_500, `the expiring token's stream ended after ${expiring} ms`)
  const lasting = await openFor(url, bearer(tokenFor(staff, 3_600)), 1_500)
  t.equal(lasting, undefined, 'a valid token keeps its stream')

  const apiKeys = createApiKeys(redis)
  const { key, apiKey } = await apiKeys.create({ name: 'wall screen', roles: ['staff'] })
  const open = openFor(url, bearer(key), 6_000)
  await new Promise((resolve) => setTimeout(resolve, 500))
  const revokedAt = Date.now()
  await apiKeys.revoke(apiKey.id)
  t.ok((await open) !== undefined, 'the revoked key lost its stream')
  t.comment(`closed ${Date.now() - revokedAt} ms after the revocation; the key is checked every ${config.STREAM_CREDENTIAL_CHECK_MS} ms`)
})
