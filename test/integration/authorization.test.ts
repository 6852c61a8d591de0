import t from 'tap'
import type { MenuItem, NewMenuItem } from '@restaurant/contracts/menu'
import type { Order } from '@restaurant/contracts/orders'
import { admin, badTokens, bearer, customer, staff, tokenFor } from '../support/credentials.js'
import { startGateway } from '../support/gateway.js'
import { startInProcessSystem } from '../support/in-process-system.js'

/** Any answer that means the caller was let in (a cancel may come too late for the kitchen: 409). */
const allowed = 'allowed'
type Expected = number | typeof allowed

const credentials = ['none', 'garbage', 'expired', 'wrong audience', 'alg none', 'wrong secret', 'too long', 'no iat', 'revoked key', 'revoked token', 'customer', 'other customer', 'customer key', 'staff', 'admin', 'partner', 'partner key'] as const
type Credential = (typeof credentials)[number]
const refused = { none: 401, garbage: 401, expired: 401, 'wrong audience': 401, 'alg none': 401, 'wrong secret': 401, 'too long': 401, 'no iat': 401, 'revoked key': 401, 'revoked token': 401 }

/** A dish of the matrix's own, so that each allowed edit starts from a version the test knows. */
const dish = (id: string): NewMenuItem => ({
  id,
  name: 'Matrix dish',
  description: 'Added by the authorization matrix',
  category: 'Mains',
  priceCents: 900,
  prepSeconds: 60,
  station: 'grill',
  available: true,
  optionGroups: [{ id: 'size', name: 'Size', minChoices: 0, maxChoices: 1, options: [{ id: 'large', name: 'Large', priceDeltaCents: 200, prepSecondsDelta: 0 }] }],
})

/** The ids the matrix works on, and the version (`ETag`) of each dish the allowed edits are made from. */
interface MatrixIds {
  order: string
  key: string
  /** A webhook subscription, and one to delete. */
  webhook: string
  disposableWebhook: string
  changed: { id: string; etag: string }
  retired: { id: string; etag: string }
}

interface MatrixRoute {
  method: string
  url: string
  ifMatch?: string
  body?: object
  expect: Record<Credential, Expected>
}

type PartnerCredential = 'partner' | 'partner key'
/** A route of the matrix as written: what a partner gets need only be said where it is not a 403. */
type Row = Omit<MatrixRoute, 'expect'> & { expect: Omit<Record<Credential, Expected>, PartnerCredential> & Partial<Record<PartnerCredential, Expected>> }

/** A partner (JWT or API key) may read the menu and the feed, and nothing else. */
const partnerRow = (answer: Expected) => ({ partner: answer, 'partner key': answer })

/** Who may do what, route by route: the expected answer for each credential (a partner is refused unless told). */
function matrix(ids: MatrixIds): MatrixRoute[] {
  return [...ordersAndMenu(ids), ...partnerRoutes(ids)].map((route) => ({ ...route, expect: { ...partnerRow(403), ...route.expect } }))
}

const customerRow = (own: Expected, others: Expected) => ({ customer: own, 'other customer': others, 'customer key': others })
const adminsOnly = (succeeds: number) => ({ ...refused, ...customerRow(403, 403), staff: 403, admin: succeeds })

function partnerRoutes({ webhook, disposableWebhook }: MatrixIds): Row[] {
  return [
    { method: 'POST', url: '/api/webhooks', body: { url: 'http://127.0.0.1:9/hooks', types: ['order.placed'] }, expect: adminsOnly(201) },
    { method: 'GET', url: '/api/webhooks', expect: adminsOnly(200) },
    { method: 'GET', url: `/api/webhooks/${webhook}`, expect: adminsOnly(200) },
    { method: 'POST', url: `/api/webhooks/${webhook}/ping`, expect: adminsOnly(202) },
    { method: 'POST', url: `/api/webhooks/${webhook}/rotate-secret`, expect: adminsOnly(200) },
    { method: 'POST', url: `/api/webhooks/${webhook}/pause`, expect: adminsOnly(200) },
    { method: 'POST', url: `/api/webhooks/${webhook}/resume`, expect: adminsOnly(200) },
    { method: 'GET', url: `/api/webhooks/${webhook}/deliveries`, expect: adminsOnly(200) },
    { method: 'DELETE', url: `/api/webhooks/${disposableWebhook}`, expect: adminsOnly(204) },
    { method: 'GET', url: '/api/events', expect: { ...refused, ...customerRow(403, 403), staff: 403, admin: 200, ...partnerRow(200) } },
    { method: 'GET', url: '/api/audit', expect: adminsOnly(200) },
  ]
}

function ordersAndMenu(ids: MatrixIds): Row[] {
  return [
    { method: 'GET', url: '/api/menu', expect: { ...refused, none: 200, ...customerRow(200, 200), staff: 200, admin: 200, ...partnerRow(200) } },
    { method: 'PATCH', url: '/api/menu/fries', body: { available: true }, expect: { ...refused, ...customerRow(403, 403), staff: 200, admin: 200 } },
    { method: 'POST', url: '/api/menu/items', body: dish('matrix-added'), expect: adminsOnly(201) },
    { method: 'PATCH', url: `/api/menu/items/${ids.changed.id}`, ifMatch: ids.changed.etag, body: { priceCents: 950 }, expect: adminsOnly(200) },
    { method: 'POST', url: `/api/menu/items/${ids.retired.id}/retire`, ifMatch: ids.retired.etag, expect: adminsOnly(200) },
    { method: 'GET', url: '/api/menu/items/fries/history', expect: adminsOnly(200) },
    { method: 'POST', url: '/api/orders', body: { items: [{ menuItemId: 'fries', quantity: 1 }] }, expect: { ...refused, ...customerRow(202, 202), staff: 403, admin: 403 } },
    { method: 'GET', url: '/api/orders', expect: { ...refused, ...customerRow(200, 200), staff: 200, admin: 403 } },
    { method: 'GET', url: `/api/orders/${ids.order}`, expect: { ...refused, ...customerRow(200, 404), staff: 200, admin: 403 } },
    { method: 'POST', url: `/api/orders/${ids.order}/cancel`, expect: { ...refused, ...customerRow(allowed, 404), staff: allowed, admin: 403 } },
    { method: 'POST', url: '/api/keys', body: { name: 'till', roles: ['customer'] }, expect: adminsOnly(201) },
    { method: 'GET', url: '/api/keys', expect: adminsOnly(200) },
    { method: 'DELETE', url: `/api/keys/${ids.key}`, expect: adminsOnly(200) },
    // By token id: revoking a subject would refuse the matrix's own credentials on the routes after it.
    { method: 'POST', url: '/api/revocations', body: { tokenId: 'matrix-token', expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, expect: adminsOnly(201) },
    { method: 'GET', url: '/api/revocations', expect: adminsOnly(200) },
  ]
}

type Gateway = Awaited<ReturnType<typeof startGateway>>['gateway']

/** Keys and revocations made by an admin through the gateway, as anyone would make them. */
function adminCalls(gateway: Gateway) {
  const asAdmin = (method: 'POST' | 'DELETE', url: string, payload?: object) => gateway.inject({ method, url, headers: bearer(admin), ...(payload ? { payload } : {}) })
  return {
    createKey: async (name: string, role: 'customer' | 'partner') => (await asAdmin('POST', '/api/keys', { name, roles: [role] })).json<{ id: string; key: string }>(),
    revokeKey: (id: string) => asAdmin('DELETE', `/api/keys/${id}`),
    revokeToken: (tokenId: string, expiresAt: number) => asAdmin('POST', '/api/revocations', { tokenId, expiresAt: new Date(expiresAt * 1000).toISOString() }),
  }
}

/** The headers of every kind of credential, with API keys made for the run (a revoked one, a live one, one to revoke) and a revoked token. */
async function credentialHeaders(gateway: Gateway) {
  const calls = adminCalls(gateway)
  const revoked = await calls.createKey('old till', 'customer')
  await calls.revokeKey(revoked.id)
  const live = await calls.createKey('till', 'customer')
  const courier = await calls.createKey('courier', 'partner')
  const disposable = await calls.createKey('to revoke', 'customer')
  const revokedToken = tokenFor(customer('alice'))
  const { jti, exp } = JSON.parse(Buffer.from(revokedToken.split('.')[1] ?? '', 'base64url').toString()) as { jti: string; exp: number }
  await calls.revokeToken(jti, exp)
  const headersOf: Record<Credential, Record<string, string>> = {
    none: {},
    garbage: bearer(badTokens.garbage),
    expired: bearer(badTokens.expired),
    'wrong audience': bearer(badTokens.wrongAudience),
    'alg none': bearer(badTokens.algNone),
    'wrong secret': bearer(badTokens.wrongSecret),
    'too long': bearer(badTokens.tooLong),
    'no iat': bearer(badTokens.noIssuedAt),
    'revoked key': bearer(revoked.key),
    'revoked token': bearer(revokedToken),
    customer: bearer(customer('alice')),
    'other customer': bearer(customer('bob')),
    'customer key': bearer(live.key),
    staff: bearer(staff),
    admin: bearer(admin),
    partner: bearer({ subject: 'courier-app', roles: ['partner'] }),
    'partner key': bearer(courier.key),
  }
  return { headersOf, disposableKey: disposable.id }
}

t.test('the authorization matrix: every route × every kind of credential gets the expected answer', async (t) => {
  // Its subscriptions go to a local port: only the routes' guard is tried here, not the destination rules.
  const system = await startInProcessSystem(t, { WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: 'true' })
  const { gateway } = await startGateway(t, await system.app.listen({ host: '127.0.0.1', port: 0 }), { REDIS_PREFIX: system.run.redisPrefix })
  const { headersOf, disposableKey } = await credentialHeaders(gateway)
  const send = (method: string, url: string, credential: Credential, { body, ifMatch }: { body?: object; ifMatch?: string } = {}) =>
    gateway.inject({ method: method as 'GET', url, headers: { ...headersOf[credential], ...(ifMatch ? { 'if-match': ifMatch } : {}) }, ...(body ? { payload: body } : {}) })
  const placed = await send('POST', '/api/orders', 'customer', { body: { items: [{ menuItemId: 'lemonade', quantity: 1 }] } })
  const added = async (id: string) => ({ id, etag: String((await send('POST', '/api/menu/items', 'admin', { body: dish(id) })).headers.etag) })
  const subscribed = async () => (await send('POST', '/api/webhooks', 'admin', { body: { url: 'http://127.0.0.1:9/hooks', types: ['order.placed'] } })).json<{ subscription: { id: string } }>().subscription.id
  const routes = matrix({
    order: placed.json<Order>().id,
    key: disposableKey,
    changed: await added('matrix-changed'),
    retired: await added('matrix-retired'),
    webhook: await subscribed(),
    disposableWebhook: await subscribed(),
  })

  const mismatches: string[] = []
  for (const route of routes) {
    for (const credential of credentials) {
      const response = await send(route.method, route.url, credential, route)
      const expected = route.expect[credential]
      const ok = expected === allowed ? [200, 202, 409].includes(response.statusCode) : response.statusCode === expected
      if (!ok) mismatches.push(`${route.method} ${route.url} as ${credential}: ${response.statusCode}, expected ${expected}`)
      if (response.statusCode >= 400) t.match(response.headers['content-type'], /^application\/problem\+json/)
      if (response.statusCode === 401) t.match(response.headers['www-authenticate'], /^Bearer/)
    }
  }
  // The event streams never end when allowed, so they are opened over HTTP and judged by their status alone.
  const gatewayUrl = await gateway.listen({ host: '127.0.0.1', port: 0 })
  const streams = [
    { url: '/api/orders/events', expect: { ...refused, ...customerStreams(403, 403), staff: 200, admin: 403 } },
    { url: `/api/orders/${placed.json<Order>().id}/events`, expect: { ...refused, ...customerStreams(200, 404), staff: 200, admin: 403 } },
  ]
  for (const route of streams) {
    for (const credential of credentials) {
      const controller = new AbortController()
      const response = await fetch(`${gatewayUrl}${route.url}`, { headers: { accept: 'text/event-stream', ...headersOf[credential] }, signal: controller.signal })
      controller.abort()
      if (response.status !== route.expect[credential]) mismatches.push(`GET ${route.url} as ${credential}: ${response.status}, expected ${route.expect[credential]}`)
    }
  }
  t.same(mismatches, [], `${credentials.length} credentials × ${routes.length + streams.length} routes`)
  // Each refused edit left no trace: the admin's is the only change after the first version.
  for (const id of ['matrix-changed', 'matrix-retired']) {
    const { states } = (await send('GET', `/api/menu/items/${id}/history`, 'admin')).json<{ states: MenuItem[] }>()
    t.same(states.map(({ version, changedBy }) => [version, changedBy]), [[1, admin.subject], [2, admin.subject]], id)
  }
})

function customerStreams(own: number, others: number) {
  return { customer: own, 'other customer': others, 'customer key': others, ...partnerRow(403) }
}

t.test("a customer's list holds only their own orders; staff see everyone's", async (t) => {
  const system = await startInProcessSystem(t)
  const { gateway } = await startGateway(t, await system.app.listen({ host: '127.0.0.1', port: 0 }), { REDIS_PREFIX: system.run.redisPrefix })
  const place = async (who: string) =>
    (await gateway.inject({ method: 'POST', url: '/api/orders', headers: bearer(customer(who)), payload: { items: [{ menuItemId: 'fries', quantity: 1 }] } })).json<Order>()
  const [alices, bobs] = [await place('alice'), await place('bob')]
  t.equal(alices.owner, 'alice')
  await system.waitForStatus(bobs.id, 'ready')
  const listOf = async (headers: Record<string, string>) =>
    (await gateway.inject({ url: '/api/orders', headers })).json<{ orders: Order[] }>().orders.map((order) => order.id)
  t.same(await listOf(bearer(customer('alice'))), [alices.id])
  t.same(await listOf(bearer(customer('bob'))), [bobs.id])
  t.same((await listOf(bearer(staff))).sort(), [alices.id, bobs.id].sort())
})

t.test('the same Idempotency-Key from two customers places two orders: keys are scoped to the caller', async (t) => {
  const system = await startInProcessSystem(t)
  const { gateway } = await startGateway(t, await system.app.listen({ host: '127.0.0.1', port: 0 }), { REDIS_PREFIX: system.run.redisPrefix })
  const place = async (who: string) =>
    (
      await gateway.inject({
        method: 'POST',
        url: '/api/orders',
        headers: { ...bearer(customer(who)), 'idempotency-key': 'shared-key' },
        payload: { items: [{ menuItemId: 'fries', quantity: 1 }] },
      })
    ).json<Order>()
  const [alices, bobs] = [await place('alice'), await place('bob')]
  t.not(alices.id, bobs.id)
  t.equal(bobs.owner, 'bob')
})

t.test('going around the gateway does not go around authorization: the services refuse unsigned requests', async (t) => {
  const system = await startInProcessSystem(t)
  const waiterUrl = await system.app.listen({ host: '127.0.0.1', port: 0 })
  for (const headers of [{}, bearer(admin), { 'x-restaurant-identity': badTokens.algNone }, { 'x-restaurant-identity': badTokens.wrongSecret }]) {
    const response = await fetch(`${waiterUrl}/api/orders`, { headers })
    t.equal(response.status, 401, JSON.stringify(Object.keys(headers)))
    t.match(await response.json(), { code: 'identity-required' })
  }
  const kitchenUrl = system.kitchen?.app.server.address()
  t.ok(kitchenUrl && typeof kitchenUrl === 'object')
  if (kitchenUrl && typeof kitchenUrl === 'object') {
    t.equal((await fetch(`http://127.0.0.1:${kitchenUrl.port}/internal/orders`)).status, 401, 'the kitchen too')
  }
})
