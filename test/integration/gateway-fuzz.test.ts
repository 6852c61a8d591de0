import fc from 'fast-check'
import t from 'tap'
import { as, asCustomer } from '../support/credentials.js'
import { startGateway } from '../support/gateway.js'
import { startInProcessSystem } from '../support/in-process-system.js'

const CASES = Number(process.env.FUZZ_CASES ?? 1_000)
const documented = new Set([200, 201, 202, 400, 401, 403, 404, 409, 413, 415, 422])

/** Keys that try to reach into prototypes, mixed into otherwise arbitrary JSON. */
const poisonKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'items', 'menuItemId', 'quantity')
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 3 }),
    fc.dictionary(fc.oneof(poisonKey, fc.string()), tie('value'), { maxKeys: 4 }),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
})).value
const deep = fc.integer({ min: 1, max: 5_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth))
const huge = fc.integer({ min: 1, max: 200_000 }).map((size) => JSON.stringify({ items: [{ menuItemId: 'x'.repeat(size), quantity: 1 }] }))
const plausible = fc.record({
  items: fc.array(fc.record({ menuItemId: fc.constantFrom('fries', 'lemonade', 'pizza', ''), quantity: fc.integer({ min: -2, max: 25 }), notes: fc.option(fc.string({ maxLength: 250 }), { nil: undefined }) }), { maxLength: 55 }),
  table: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
})
const body = fc.oneof(json.map((value) => JSON.stringify(value)), deep, huge, plausible.map((value) => JSON.stringify(value)), fc.string({ maxLength: 200 }))
const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 3 },
  { arbitrary: fc.constantFrom('application/json;', 'text/plain', 'application/xml', 'multipart/form-data', ''), weight: 1 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
)
const headerValue = fc.string({ maxLength: 300 }).filter((value) => /^[\x20-\x7e]*$/.test(value))
const segment = fc.oneof(fc.uuid(), fc.string({ maxLength: 80 }).map(encodeURIComponent))
const query = fc.dictionary(fc.constantFrom('status', 'limit', 'cursor', 'x'), fc.string({ maxLength: 50 }), { maxKeys: 4 }).map((q) => new URLSearchParams(q).toString())

/** Who sends the request: nobody, a customer, staff, an admin, or an arbitrary Authorization header. */
// Valid credentials weigh most, so that the requests also reach the routes' own validation and rules.
const credential = fc.oneof(
  { arbitrary: fc.constant({}), weight: 1 },
  { arbitrary: fc.constantFrom(asCustomer('fuzz-a'), asCustomer('fuzz-b'), as('staff'), as('admin'), as('customer', 'staff', 'admin')), weight: 4 },
  { arbitrary: headerValue.map((value) => ({ authorization: value })), weight: 1 },
  { arbitrary: headerValue.map((value) => ({ authorization: `Bearer ${value}` })), weight: 1 },
)
/** A body with a content type, or none. */
const withBody = fc.option(fc.record({ body, contentType }), { nil: undefined }).map((sent) =>
  sent === undefined ? {} : { payload: sent.body, headers: { 'content-type': sent.contentType } },
)
/** A body the route could accept, as JSON: fuzzing should also reach what lies past validation. */
const asJson = (value: fc.Arbitrary<object>) => value.map((payload) => ({ payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }))
const availability = asJson(fc.record({ available: fc.boolean() }))
const newKey = asJson(fc.record({ name: fc.string({ maxLength: 120 }), roles: fc.array(fc.constantFrom('customer', 'staff', 'admin', 'root'), { maxLength: 4 }) }))
const menuItemId = fc.oneof(fc.constantFrom('fries', 'lemonade', 'truffle-pasta', 'nope'), segment)
const keyId = fc.oneof(fc.stringMatching(/^[0-9a-f]{12}$/), segment)

const routes = [
  { name: 'GET /api/menu', request: fc.record({ query }).map(({ query: q }) => ({ method: 'GET' as const, url: `/api/menu?${q}` })) },
  {
    name: 'POST /api/orders',
    request: fc.record({ body, contentType, key: fc.option(headerValue, { nil: undefined }) }).map(({ body: payload, contentType: type, key }) => ({
      method: 'POST' as const,
      url: '/api/orders',
      payload,
      headers: { 'content-type': type, ...(key === undefined ? {} : { 'idempotency-key': key }) },
    })),
  },
  { name: 'GET /api/orders', request: query.map((q) => ({ method: 'GET' as const, url: `/api/orders?${q}` })) },
  { name: 'GET /api/orders/{id}', request: segment.map((id) => ({ method: 'GET' as const, url: `/api/orders/${id}` })) },
  {
    name: 'POST /api/orders/{id}/cancel',
    request: fc.record({ id: segment, sent: withBody }).map(({ id, sent }) => ({ method: 'POST' as const, url: `/api/orders/${id}/cancel`, ...sent })),
  },
  {
    name: 'PATCH /api/menu/{id}',
    request: fc.record({ id: menuItemId, sent: fc.oneof(withBody, availability) }).map(({ id, sent }) => ({ method: 'PATCH' as const, url: `/api/menu/${id}`, ...sent })),
  },
  { name: 'POST /api/keys', request: fc.oneof(withBody, newKey).map((sent) => ({ method: 'POST' as const, url: '/api/keys', ...sent })) },
  { name: 'GET /api/keys', request: query.map((q) => ({ method: 'GET' as const, url: `/api/keys?${q}` })) },
  { name: 'DELETE /api/keys/{id}', request: keyId.map((id) => ({ method: 'DELETE' as const, url: `/api/keys/${id}` })) },
]

t.test(`every route through the gateway, ${CASES} arbitrary requests each: never a 5xx, always a documented status within 1 s`, async (t) => {
  const system = await startInProcessSystem(t)
  const waiterUrl = await system.app.listen({ host: '127.0.0.1', port: 0 })
  const { gateway } = await startGateway(t, waiterUrl, { REDIS_PREFIX: system.run.redisPrefix, UPSTREAM_TIMEOUT_MS: '5000', CORS_ORIGINS: '' })
  for (const route of routes) {
    const seen = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(route.request, credential, async (request, sender) => {
        const started = Date.now()
        const headers: Record<string, string> = { ...('headers' in request ? request.headers : {}), ...sender }
        const response = await gateway.inject({ ...request, headers })
        seen.set(response.statusCode, (seen.get(response.statusCode) ?? 0) + 1)
        return documented.has(response.statusCode) && Date.now() - started < 1_000
      }),
      { numRuns: CASES },
    )
    t.pass(`${route.name}: ${[...seen].map(([status, count]) => `${status}×${count}`).join(', ')}`)
  }
})
