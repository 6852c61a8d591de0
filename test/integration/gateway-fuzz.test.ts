import fc from 'fast-check'
import t from 'tap'
import { createLogger } from '@restaurant/shared'
import { buildGatewayApp } from '../../gateway/src/app.js'
import { startInProcessSystem } from '../support/in-process-system.js'

const CASES = Number(process.env.FUZZ_CASES ?? 1_000)
const documented = new Set([200, 202, 400, 404, 409, 413, 415, 422])

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
const contentType = fc.oneof(fc.constant('application/json'), fc.constantFrom('application/json;', 'text/plain', 'application/xml', 'multipart/form-data', ''), fc.string({ maxLength: 40 }))
const headerValue = fc.string({ maxLength: 300 }).filter((value) => /^[\x20-\x7e]*$/.test(value))
const segment = fc.oneof(fc.uuid(), fc.string({ maxLength: 80 }).map(encodeURIComponent))
const query = fc.dictionary(fc.constantFrom('status', 'limit', 'cursor', 'x'), fc.string({ maxLength: 50 }), { maxKeys: 4 }).map((q) => new URLSearchParams(q).toString())

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
    request: fc.record({ id: segment, body: fc.option(body, { nil: undefined }), contentType }).map(({ id, body: payload, contentType: type }) => ({
      method: 'POST' as const,
      url: `/api/orders/${id}/cancel`,
      ...(payload === undefined ? {} : { payload, headers: { 'content-type': type } }),
    })),
  },
]

t.test(`every route through the gateway, ${CASES} arbitrary requests each: never a 5xx, always a documented status within 1 s`, async (t) => {
  const system = await startInProcessSystem(t)
  const waiterUrl = await system.app.listen({ host: '127.0.0.1', port: 0 })
  const log = createLogger({ name: 'fuzz', level: 'silent', pretty: false })
  const gateway = buildGatewayApp({ log, waiterUrl, kitchenUrl: waiterUrl, upstreamTimeoutMs: 5_000, corsOrigins: [], trustProxy: [], requestTimeoutMs: 5_000 })
  t.teardown(() => gateway.close())
  for (const route of routes) {
    const seen = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(route.request, async (request) => {
        const started = Date.now()
        const response = await gateway.inject(request)
        seen.set(response.statusCode, (seen.get(response.statusCode) ?? 0) + 1)
        return documented.has(response.statusCode) && Date.now() - started < 1_000
      }),
      { numRuns: CASES },
    )
    t.pass(`${route.name}: ${[...seen].map(([status, count]) => `${status}×${count}`).join(', ')}`)
  }
})
