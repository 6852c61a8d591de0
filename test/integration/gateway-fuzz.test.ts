import fc from 'fast-check'
import t from 'tap'
import { findMenuItem, menu, stations, type MenuItem } from '@restaurant/contracts/menu'
import { admin, as, asCustomer } from '../support/credentials.js'
import { startGateway } from '../support/gateway.js'
import { startInProcessSystem } from '../support/in-process-system.js'
import { operations, type OpenApiDocument, type Operation } from '../../services/waiter/test/http/openapi-checks.js'

const CASES = Number(process.env.FUZZ_CASES ?? 1_000)
/** What the gateway answers itself, before any route: a body over its limit. */
const gatewayOwn = new Set([413])

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
/** The seed's options of the dishes that have the strictest groups, mixed with ids no dish has. */
const seedOptions = ['classic-burger', 'ribeye-steak'].flatMap((id) => findMenuItem(menu, id)?.optionGroups.flatMap((group) => group.options.map((option) => option.id)) ?? [])
const chosen = fc.oneof(
  fc.subarray(seedOptions, { maxLength: 4 }),
  fc.array(fc.oneof({ arbitrary: fc.constantFrom(...seedOptions), weight: 4 }, { arbitrary: fc.string({ maxLength: 70 }), weight: 1 }), { maxLength: 12 }),
)
const orderedDish = fc.constantFrom('fries', 'lemonade', 'classic-burger', 'ribeye-steak', 'truffle-pasta')
const plausible = fc.record({
  items: fc.array(
    fc.record({
      menuItemId: fc.oneof(orderedDish, fc.constantFrom('pizza', '')),
      quantity: fc.integer({ min: -2, max: 25 }),
      options: fc.option(chosen, { nil: undefined }),
      notes: fc.option(fc.string({ maxLength: 250 }), { nil: undefined }),
    }),
    { maxLength: 55 },
  ),
  table: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
})
/** An order valid but for its choices of options, so that their rules are what is tried. */
const choosing = fc.record({ items: fc.array(fc.record({ menuItemId: orderedDish, quantity: fc.integer({ min: 1, max: 3 }), options: chosen }), { minLength: 1, maxLength: 4 }) })
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
/** Mostly someone the route lets in, so that its rules, not only its guard, are tried. */
const mostlyAs = (headers: Record<string, string>) => fc.oneof({ arbitrary: fc.constant(headers), weight: 3 }, { arbitrary: credential, weight: 1 })
const anAdmin = mostlyAs(as('admin'))
/** A body with a content type, or none. */
const withBody = fc.option(fc.record({ body, contentType }), { nil: undefined }).map((sent) =>
  sent === undefined ? {} : { payload: sent.body, headers: { 'content-type': sent.contentType } },
)
/** A body the route could accept, as JSON: fuzzing should also reach what lies past validation. */
const asJson = (value: fc.Arbitrary<object>) => value.map((payload) => ({ payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }))
const availability = asJson(fc.record({ available: fc.boolean() }))
const newKey = asJson(fc.record({ name: fc.string({ maxLength: 120 }), roles: fc.array(fc.constantFrom('customer', 'staff', 'admin', 'root'), { maxLength: 4 }) }))
const menuItemId = fc.oneof(fc.constantFrom('fries', 'lemonade', 'truffle-pasta', 'classic-burger', 'fuzz-dish', 'nope'), segment)
const keyId = fc.oneof(fc.stringMatching(/^[0-9a-f]{12}$/), segment)
const webhookId = fc.oneof(fc.stringMatching(/^wh_[0-9a-f]{32}$/), segment)
const eventType = fc.constantFrom('order.placed', 'order.status-changed', 'menu.changed', 'webhook.ping', 'order')
const newWebhook = asJson(
  fc.record(
    {
      url: fc.oneof(fc.constantFrom('http://127.0.0.1:9/hooks', 'https://10.0.0.1/x', 'https://localhost/x', 'ftp://x', ''), fc.webUrl(), fc.string({ maxLength: 60 })),
      types: fc.array(eventType, { maxLength: 4 }),
      scopes: fc.array(fc.constantFrom('customer-details', 'all'), { maxLength: 2 }),
      description: fc.string({ maxLength: 210 }),
    },
    { requiredKeys: ['url', 'types'] },
  ),
)
const feedQuery = fc
  .dictionary(fc.constantFrom('after', 'types', 'limit', 'x'), fc.oneof(fc.string({ maxLength: 20 }), fc.nat().map(String), eventType), { maxKeys: 3 })
  .map((q) => new URLSearchParams(q).toString())

/**
 * The fields of a menu item: all within the schema's bounds (so that the menu's own rules are met: choices an option
 * group cannot offer, ids used twice), or each possibly past them.
 */
function itemFields(bounded: boolean) {
  const pick = <T>(within: fc.Arbitrary<T>, past: fc.Arbitrary<T>) => (bounded ? within : fc.oneof(within, past))
  const label = pick(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 105 }))
  const option = fc.record({
    id: pick(fc.constantFrom('rare', 'cheese', 'large', 'small'), fc.string({ maxLength: 70 })),
    name: label,
    priceDeltaCents: pick(fc.integer({ min: 0, max: 500 }), fc.integer({ min: -10, max: 110_000 })),
    prepSecondsDelta: pick(fc.integer({ min: 0, max: 60 }), fc.double({ min: -1, max: 700, noNaN: true })),
  })
  const optionGroup = fc.record({
    id: pick(fc.constantFrom('doneness', 'extras', 'size'), fc.string({ maxLength: 70 })),
    name: label,
    minChoices: pick(fc.integer({ min: 0, max: 2 }), fc.integer({ min: -1, max: 25 })),
    maxChoices: pick(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 25 })),
    options: pick(fc.array(option, { minLength: 1, maxLength: 4 }), fc.array(option, { maxLength: 5 })),
  })
  return {
    name: label,
    description: pick(fc.string({ maxLength: 60 }), fc.string({ maxLength: 520 })),
    category: pick(fc.constantFrom('Burgers', 'Mains', 'Sides'), fc.string({ maxLength: 105 })),
    priceCents: pick(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: -5, max: 1_100_000 })),
    prepSeconds: pick(fc.integer({ min: 0, max: 900 }), fc.double({ min: -1, max: 4_000, noNaN: true })),
    station: pick(fc.constantFrom(...stations), fc.constantFrom('oven', '')),
    available: fc.boolean(),
    optionGroups: pick(fc.array(optionGroup, { maxLength: 3 }), fc.array(optionGroup, { maxLength: 12 })),
  }
}
const mostlyBounded = <T>(of: (bounded: boolean) => fc.Arbitrary<T>) => fc.oneof({ arbitrary: of(true), weight: 3 }, { arbitrary: of(false), weight: 1 })
const newItemId = fc.oneof(menuItemId, fc.stringMatching(/^[a-z0-9-]{1,12}$/))
const newItem = asJson(mostlyBounded((bounded) => fc.record({ id: newItemId, ...itemFields(bounded) })))
const itemChanges = asJson(mostlyBounded((bounded) => fc.record(itemFields(bounded), { requiredKeys: [] })))
/** A version precondition: the version current when sent (resolved then), another well-formed one, any text, or none. */
const CURRENT = { current: true } as const
const precondition = fc.oneof(
  { arbitrary: fc.constant(CURRENT), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 12 }).map((version) => `"${version}"`), weight: 1 },
  { arbitrary: headerValue, weight: 1 },
  { arbitrary: fc.constant(undefined), weight: 1 },
)
type Precondition = string | typeof CURRENT | undefined

interface FuzzRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  url: string
  payload?: string
  headers?: Record<string, string>
  /** A version header; `of` names the item whose version it is, else it is the menu's. */
  precondition?: { header: 'if-match' | 'if-none-match'; value: Precondition; of?: string }
}
const ifMatch = (value: Precondition, of: string) => ({ precondition: { header: 'if-match' as const, value, of } })

/** A route's requests, and who sends them (by default, anyone). */
const routes: { name: string; request: fc.Arbitrary<FuzzRequest>; who?: fc.Arbitrary<Record<string, string>> }[] = [
  {
    name: 'GET /api/menu',
    request: fc.record({ query, tag: precondition }).map(({ query: q, tag }) => ({ method: 'GET' as const, url: `/api/menu?${q}`, precondition: { header: 'if-none-match' as const, value: tag } })),
  },
  {
    name: 'POST /api/orders',
    request: fc.oneof(
      fc.record({ body, contentType, key: fc.option(headerValue, { nil: undefined }) }).map(({ body: payload, contentType: type, key }) => ({
        method: 'POST' as const,
        url: '/api/orders',
        payload,
        headers: { 'content-type': type, ...(key === undefined ? {} : { 'idempotency-key': key }) },
      })),
      asJson(choosing).map((sent) => ({ method: 'POST' as const, url: '/api/orders', ...sent })),
    ),
    who: mostlyAs(asCustomer('fuzz-a')),
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
  // After the orders, so that they meet the seed's dishes and options; retiring, which ends a dish's edits, comes last.
  { name: 'POST /api/menu/items', request: fc.oneof(withBody, newItem).map((sent) => ({ method: 'POST' as const, url: '/api/menu/items', ...sent })), who: anAdmin },
  {
    name: 'PATCH /api/menu/items/{id}',
    request: fc.record({ id: menuItemId, sent: fc.oneof(withBody, itemChanges), tag: precondition }).map(({ id, sent, tag }) => ({ method: 'PATCH' as const, url: `/api/menu/items/${id}`, ...sent, ...ifMatch(tag, id) })),
    who: anAdmin,
  },
  { name: 'GET /api/menu/items/{id}/history', request: fc.record({ id: menuItemId, q: query }).map(({ id, q }) => ({ method: 'GET' as const, url: `/api/menu/items/${id}/history?${q}` })), who: anAdmin },
  {
    name: 'POST /api/menu/items/{id}/retire',
    request: fc.record({ id: menuItemId, sent: withBody, tag: precondition }).map(({ id, sent, tag }) => ({ method: 'POST' as const, url: `/api/menu/items/${id}/retire`, ...sent, ...ifMatch(tag, id) })),
    who: anAdmin,
  },
  { name: 'POST /api/keys', request: fc.oneof(withBody, newKey).map((sent) => ({ method: 'POST' as const, url: '/api/keys', ...sent })) },
  { name: 'GET /api/keys', request: query.map((q) => ({ method: 'GET' as const, url: `/api/keys?${q}` })) },
  { name: 'DELETE /api/keys/{id}', request: keyId.map((id) => ({ method: 'DELETE' as const, url: `/api/keys/${id}` })) },
  { name: 'POST /api/webhooks', request: fc.oneof(withBody, newWebhook).map((sent) => ({ method: 'POST' as const, url: '/api/webhooks', ...sent })), who: anAdmin },
  { name: 'GET /api/webhooks', request: query.map((q) => ({ method: 'GET' as const, url: `/api/webhooks?${q}` })), who: anAdmin },
  ...(['GET', 'DELETE'] as const).map((method) => ({
    name: `${method} /api/webhooks/{id}`,
    request: webhookId.map((id) => ({ method, url: `/api/webhooks/${id}` })),
    who: anAdmin,
  })),
  ...['ping', 'rotate-secret', 'pause', 'resume'].map((action) => ({
    name: `POST /api/webhooks/{id}/${action}`,
    request: fc.record({ id: webhookId, sent: withBody }).map(({ id, sent }) => ({ method: 'POST' as const, url: `/api/webhooks/${id}/${action}`, ...sent })),
    who: anAdmin,
  })),
  {
    name: 'GET /api/webhooks/{id}/deliveries',
    request: fc.record({ id: webhookId, q: query }).map(({ id, q }) => ({ method: 'GET' as const, url: `/api/webhooks/${id}/deliveries?${q}` })),
    who: anAdmin,
  },
  { name: 'GET /api/events', request: feedQuery.map((q) => ({ method: 'GET' as const, url: `/api/events?${q}` })), who: mostlyAs(as('partner')) },
]

type System = Awaited<ReturnType<typeof startInProcessSystem>>

/** The version a precondition marked current stands for, read just before sending: the item's (1 if none), or the menu's. */
async function currentVersion(system: System, itemId?: string): Promise<string> {
  if (itemId === undefined) return String((await system.inject({ method: 'GET', url: '/api/menu' })).headers.etag)
  const history = await system.inject({ method: 'GET', url: `/api/menu/items/${itemId}/history` }, admin)
  const latest = history.statusCode === 200 ? history.json<{ states: MenuItem[] }>().states.at(-1) : undefined
  return `"${latest?.version ?? 1}"`
}

async function headersFor(system: System, { headers, precondition: sent }: FuzzRequest, sender: Record<string, string>): Promise<Record<string, string>> {
  if (sent?.value === undefined) return { ...headers, ...sender }
  const value = typeof sent.value === 'string' ? sent.value : await currentVersion(system, sent.of)
  return { ...headers, [sent.header]: value, ...sender }
}

/** What the waiter documents each route to answer ('METHOD /path/{param}'), with the headers of each answer. */
async function documentedRoutes(system: System): Promise<Map<string, Operation>> {
  return new Map(operations((await system.app.inject({ method: 'GET', url: '/docs/json' })).json<OpenApiDocument>()))
}

/** How an answer departs from its route's documentation: a status it does not list, or a header a success does not send. */
function departures(operation: Operation | undefined, response: { statusCode: number; headers: Record<string, unknown> }): string[] {
  const { statusCode, headers } = response
  const answer = operation?.responses[String(statusCode)]
  if (!answer) return gatewayOwn.has(statusCode) ? [] : [`${statusCode} is not documented`]
  if (statusCode >= 400) return []
  return Object.keys(answer.headers ?? {}).filter((name) => headers[name.toLowerCase()] === undefined).map((name) => `${statusCode} without ${name}`)
}

t.test(`every route through the gateway, ${CASES} arbitrary requests each: never a 5xx, always a status the route documents within 1 s`, async (t) => {
  const system = await startInProcessSystem(t)
  const waiterUrl = await system.app.listen({ host: '127.0.0.1', port: 0 })
  const { gateway } = await startGateway(t, waiterUrl, { REDIS_PREFIX: system.run.redisPrefix, UPSTREAM_TIMEOUT_MS: '5000', CORS_ORIGINS: '' })
  const documentation = await documentedRoutes(system)
  for (const route of routes) {
    const seen = new Map<number, number>()
    const undocumented = new Set<string>()
    await fc.assert(
      fc.asyncProperty(route.request, route.who ?? credential, async (request, sender) => {
        const { method, url, payload } = request
        const headers = await headersFor(system, request, sender)
        const started = Date.now()
        const response = await gateway.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) })
        seen.set(response.statusCode, (seen.get(response.statusCode) ?? 0) + 1)
        for (const departure of departures(documentation.get(route.name), response)) undocumented.add(departure)
        return response.statusCode < 500 && Date.now() - started < 1_000
      }),
      { numRuns: CASES },
    )
    t.same([...undocumented], [], `${route.name}: ${[...seen].map(([status, count]) => `${status}×${count}`).join(', ')}`)
  }
})
