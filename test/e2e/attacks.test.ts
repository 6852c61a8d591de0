import { randomUUID } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import t from 'tap'
import { IDENTITY_HEADER, anonymous, type Identity } from '@restaurant/contracts/identity'
import { kitchenPaths } from '@restaurant/contracts/kitchen-api'
import { newKeyPair, signingKeyFrom } from '@restaurant/platform/auth/service-keys'
import { createServiceSigner } from '@restaurant/platform/auth/service-tokens'
import { DEVELOPMENT_SECRETS } from '@restaurant/platform/runtime/config'
import { admin, bearer, customer, signedAsWaiter, signedIdentity, staff, tokenFor } from '../support/credentials.js'
import { sheddingUpstream } from '../../gateway/test/upstream.js'
import { startGateway } from '../support/gateway.js'
import { readEventStream } from '../support/sse-client.js'
import { startStack } from '../support/stack.js'

/**
 * Attacks through and around the gateway, on the services as processes: every internal token a caller could
 * forge, replay, re-target or outlive, identities presented to the wrong service, and credentials that end
 * while their event stream is open. Each case asserts the refusal.
 */
const CHECK_MS = 500
const stack = await startStack({ STREAM_CREDENTIAL_CHECK_MS: String(CHECK_MS) })
t.teardown(stack.stop)

const gatewayKey = signingKeyFrom(DEVELOPMENT_SECRETS.GATEWAY_SIGNING_KEY, 'GATEWAY_SIGNING_KEY')
const asGateway = createServiceSigner('gateway', gatewayKey)
const asWaiter = createServiceSigner('waiter', signingKeyFrom(DEVELOPMENT_SECRETS.WAITER_SIGNING_KEY, 'WAITER_SIGNING_KEY'))
const seconds = () => Math.floor(Date.now() / 1000)
const orders = '/api/orders'

async function call(baseUrl: string, method: string, path: string, token: string | undefined) {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: token ? { [IDENTITY_HEADER]: token } : {} })
  const body = (await response.json()) as { status: number; code?: string; title?: string }
  return { status: response.status, code: body.code, title: body.title }
}
const atWaiter = (method: string, path: string, token?: string) => call(stack.waiter.url, method, path, token)
const atKitchen = (method: string, path: string, token?: string) => call(stack.kitchen.url, method, path, token)

t.test('internal tokens at the waiter: forged, replayed, re-targeted, expired and from the wrong caller are refused', async (t) => {
  const honest = asGateway('waiter', staff, { method: 'GET', url: orders })
  t.equal((await atWaiter('GET', orders, honest)).status, 200, 'a token the gateway signed for this request passes, once')
  t.match(await atWaiter('GET', orders, honest), { status: 401, code: 'identity-required', title: /already used/ }, 'replayed')
  t.match(await atWaiter('GET', orders), { status: 401 }, 'none at all')
  const forger = createServiceSigner('gateway', signingKeyFrom(newKeyPair().signingKey, 'KEY'))
  t.match(await atWaiter('GET', orders, forger('waiter', staff, { method: 'GET', url: orders })), { status: 401, title: /does not trust/ }, 'forged: signed with a key of its own')
  const forMenu = asGateway('waiter', anonymous, { method: 'GET', url: '/api/menu' })
  t.match(await atWaiter('GET', orders, forMenu), { status: 401, title: /another request/ }, 're-targeted: a menu read used for the order list')
  const expired = createSigner({ key: gatewayKey.pem, algorithm: 'EdDSA', kid: gatewayKey.kid })({ iss: 'gateway', aud: 'waiter', sub: staff.subject, roles: staff.roles, htm: 'GET', htu: orders, jti: randomUUID(), iat: seconds() - 30, exp: seconds() - 20 })
  t.match(await atWaiter('GET', orders, expired), { status: 401, title: /expired/ }, 'expired')
  const waiterSigned = asWaiter('kitchen', staff, { method: 'GET', url: orders })
  t.match(await atWaiter('GET', orders, waiterSigned), { status: 401 }, "the waiter's own token (meant for the kitchen) at the waiter")
})

t.test("the kitchen's internal API answers the waiter alone", async (t) => {
  const tickets = kitchenPaths.tickets
  t.equal((await atKitchen('GET', tickets, signedAsWaiter('GET', tickets)[IDENTITY_HEADER])).status, 200, "the waiter's token passes")
  const signedAnonymous = asGateway('waiter', anonymous, { method: 'GET', url: tickets })
  t.match(await atKitchen('GET', tickets, signedAnonymous), { status: 401, title: /does not trust/ }, "the anonymous identity the gateway signs, at the kitchen")
  const asStaffForKitchen = asGateway('kitchen', staff, { method: 'GET', url: tickets })
  t.match(await atKitchen('GET', tickets, asStaffForKitchen), { status: 401 }, 'a gateway token addressed to the kitchen')
  const once = signedAsWaiter('GET', tickets)[IDENTITY_HEADER]
  t.equal((await atKitchen('GET', tickets, once)).status, 200)
  t.match(await atKitchen('GET', tickets, once), { status: 401, title: /already used/ }, "the waiter's token replayed")
  t.match(await atKitchen('POST', kitchenPaths.menuItems, asWaiter('kitchen', staff, { method: 'GET', url: tickets })), { status: 401, title: /another request/ }, 'a read re-targeted at a menu edit')
})

/**
 * How long an open staff stream through the gateway lives after `end` is called: undefined if it outlives 15 s,
 * or if it was not open (an answer other than 200, or an end before `end`) when `end` was called.
 */
async function streamEndsAfter(headers: Record<string, string>, end: () => Promise<void>): Promise<number | undefined> {
  // Ended by the gateway: the connection closes, which the reader sees as the end or as a cut (a rejection).
  const reading = readEventStream(`${stack.gateway.url}/api/orders/events`, headers, { done: () => false, timeoutMs: 20_000 }).then(
    ({ status }) => ({ status, endedAt: Date.now() }),
    () => ({ status: 200, endedAt: Date.now() }),
  )
  await new Promise((resolve) => setTimeout(resolve, 300))
  const endAt = Date.now()
  await end()
  const ended = await Promise.race([reading, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 15_000))])
  return ended && ended.status === 200 && ended.endedAt >= endAt ? ended.endedAt - endAt : undefined
}

t.test('an open event stream ends soon after its API key is revoked, or its token expires', async (t) => {
  const created = await fetch(`${stack.gateway.url}/api/keys`, { method: 'POST', headers: { ...bearer(admin), 'content-type': 'application/json' }, body: JSON.stringify({ name: 'till', roles: ['staff'] }) })
  const key = (await created.json()) as { id: string; key: string }
  const revoke = async () => void (await fetch(`${stack.gateway.url}/api/keys/${key.id}`, { method: 'DELETE', headers: bearer(admin) }))
  const afterRevocation = await streamEndsAfter({ authorization: `Bearer ${key.key}` }, revoke)
  t.comment(`stream of a revoked key ended ${afterRevocation} ms after the revocation (checked every ${CHECK_MS} ms)`)
  t.ok(afterRevocation !== undefined, 'the stream of the revoked key was open, then ended')
  const expiringToken = tokenFor(staff, 2)
  const afterExpiry = await streamEndsAfter(bearer(expiringToken), async () => undefined)
  t.comment(`stream of a token that expires 2 s after issue ended ${afterExpiry} ms after its first 300 ms`)
  t.ok(afterExpiry !== undefined, 'the stream of the expiring token was open, then ended')
})

t.test('an identity the gateway verified is signed per request: a client cannot bring its own', async (t) => {
  const claimed: Identity = { subject: 'mallory', roles: ['admin'] }
  const smuggled = signedIdentity(claimed, 'GET', '/api/keys')
  const response = await fetch(`${stack.gateway.url}/api/keys`, { headers: { ...smuggled, ...bearer(customer()) } })
  t.equal(response.status, 403, 'the header is dropped and the customer is refused an admin route')
})

t.test('one IPv6 /64 is one address to the per-address limit: spreading over it does not multiply the budget', async (t) => {
  const { gateway } = await startGateway(t, stack.waiter.url, { TRUST_PROXY: '127.0.0.1', RATE_LIMIT_PER_ADDRESS: '5' })
  const from = (address: string) => gateway.inject({ url: '/api/menu', headers: { 'x-forwarded-for': address } })
  const spread = []
  for (let host = 1; host <= 6; host++) spread.push((await from(`2001:db8:1:2::${host.toString(16)}`)).statusCode)
  t.same(spread, [200, 200, 200, 200, 200, 429], 'six hosts of one /64: the sixth request is over the budget of five')
  t.equal((await from('2001:db8:1:3::1')).statusCode, 200, 'the next /64 has a budget of its own')
})

t.test('a waiter shedding load with 503 gets one call per client request, however many come at once', async (t) => {
  const shedding = await sheddingUpstream(t)
  const { gateway } = await startGateway(t, shedding.url)
  const answers = await Promise.all(Array.from({ length: 200 }, () => gateway.inject({ url: '/api/menu' })))
  t.same(new Set(answers.map((answer) => answer.statusCode)), new Set([503]), 'every client is told 503')
  t.equal(shedding.asked(), 200, '200 client requests, 200 upstream calls')
})
