import t, { type Test } from 'tap'
import { buildAsyncApiDocument, type AsyncApiDocument } from '@restaurant/contracts/asyncapi'
import { CancelOrderMessage, MenuChangedMessage, OrderPlacedMessage, OrderStatusChangedMessage, topologyFor, WebhookDeliveryMessage } from '@restaurant/contracts/messages'
import { Problem, PROBLEM_CONTENT_TYPE } from '@restaurant/contracts/problem'
import type { AuditLog } from '@restaurant/platform/audit/audit-log'
import type { ApiKeyChanges } from '@restaurant/platform/audit/key-management'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { createMetricsRegistry } from '@restaurant/platform/runtime/metrics'
import { buildWaiterApp } from '../../src/app.js'
import type { Partners } from '../../src/http/partner-routes.js'
import { headerParameters, operations, responseHeaders, structuralProblems, type OpenApiDocument } from './openapi-checks.js'
import type { OrderEventHub } from '../../src/adapters/order-event-hub.js'
import type { Waiter } from '../../src/use-cases/waiter.js'

const publicRoutes = [
  'GET /api/menu',
  'PATCH /api/menu/{id}',
  'POST /api/menu/items',
  'PATCH /api/menu/items/{id}',
  'POST /api/menu/items/{id}/retire',
  'GET /api/menu/items/{id}/history',
  'POST /api/orders',
  'GET /api/orders',
  'GET /api/orders/{id}',
  'GET /api/orders/events',
  'GET /api/orders/{id}/events',
  'POST /api/orders/{id}/cancel',
  'POST /api/keys',
  'GET /api/keys',
  'POST /api/webhooks',
  'GET /api/webhooks',
  'GET /api/webhooks/{id}',
  'DELETE /api/webhooks/{id}',
  'POST /api/webhooks/{id}/ping',
  'POST /api/webhooks/{id}/rotate-secret',
  'POST /api/webhooks/{id}/pause',
  'POST /api/webhooks/{id}/resume',
  'GET /api/webhooks/{id}/deliveries',
  'GET /api/events',
  'DELETE /api/keys/{id}',
  'GET /api/audit',
  'POST /api/revocations',
  'GET /api/revocations',
]
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

// The documents are read, never a route: a waiter that is called fails the test.
const uncalled = async (): Promise<never> => {
  throw new Error('the docs tests call no route')
}
const uncalledNow = (): never => {
  throw new Error('the docs tests call no route')
}
const waiter: Waiter = {
  placeOrder: uncalled,
  getOrder: uncalled,
  cancelOrder: uncalled,
  listOrders: uncalled,
  menu: { read: () => uncalledNow(), add: uncalled, change: uncalled, retire: uncalled, setAvailability: uncalled, history: uncalled },
  applyStatus: uncalled,
}
const apiKeys: ApiKeyChanges = { create: uncalled, list: uncalled, revoke: uncalled }
const credentials = { revoke: uncalled, revocations: uncalled, key: uncalled, snapshot: uncalled, tokenRevoked: uncalled }
const partners: Partners = {
  webhooks: { create: uncalled, list: uncalled, get: uncalled, remove: uncalled, ping: uncalled, rotateSecret: uncalled, pause: uncalled, resume: uncalled, deliveries: uncalled },
  readFeed: uncalled,
}
const audit: AuditLog = { append: uncalled, read: uncalled, close: async () => undefined }
const hub: OrderEventHub = { subscribe: () => () => undefined, orderEvents: uncalled, allEvents: uncalled, close: async () => undefined }

async function buildApp(t: Test) {
  const app = await buildWaiterApp({
    log: createLogger({ name: 'test', level: 'silent', pretty: false }),
    waiter,
    apiKeys,
    credentials,
    audit,
    verifyCaller: () => {
      throw new Error('no identity')
    },
    maxEventLoopDelayMs: 1000,
    topology: topologyFor('docs-test'),
    events: { hub, heartbeatMs: 5_000, maxUnreadBytes: 65_536 },
    metrics: createMetricsRegistry('docs-test'),
    partners,
  })
  t.teardown(() => app.close())
  return app
}

async function openApi(t: Test): Promise<OpenApiDocument> {
  const response = await (await buildApp(t)).inject({ method: 'GET', url: '/docs/json' })
  t.equal(response.statusCode, 200)
  return response.json<OpenApiDocument>()
}

t.test('the OpenAPI document lists exactly the public routes, not the probes or the docs', async (t) => {
  const doc = await openApi(t)
  t.same(operations(doc).map(([route]) => route).sort(), [...publicRoutes].sort())
  t.match(doc, { openapi: /^3\.1\./, info: { title: 'The restaurant API', description: /problem/ }, servers: [{ url: '/' }] })
})

t.test('the OpenAPI document is structurally valid OpenAPI', async (t) => {
  t.same(structuralProblems(await openApi(t)), [])
})

t.test('every public route is tagged, summarised, described and answers errors as problem details', async (t) => {
  for (const [route, operation] of operations(await openApi(t))) {
    t.match(operation, { tags: [String], summary: String, description: String }, route)
    const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400)
    t.ok(errors.some(([status]) => Number(status) < 500), `${route} lists a 4xx`)
    for (const [status, response] of errors) {
      t.same(Object.keys(response.content ?? {}), [PROBLEM_CONTENT_TYPE], `${route} ${status} is problem+json`)
      t.same(response.content?.[PROBLEM_CONTENT_TYPE]?.schema, plain(Problem), `${route} ${status} uses the Problem schema`)
    }
  }
})

t.test('every route says who may call it: anyone, or a bearer credential with the roles it needs', async (t) => {
  const doc = await openApi(t)
  t.match(doc, { components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } })
  t.same(doc.paths['/api/menu']?.get?.security, [{}, { bearer: [] }])
  t.match(doc.paths['/api/menu']?.get?.description, /Anyone/)
  t.same(doc.paths['/api/menu/{id}']?.patch?.security, [{ bearer: [] }])
  t.match(doc.paths['/api/menu/{id}']?.patch?.description, /Roles: staff, admin\./)
  t.match(doc.paths['/api/menu/items/{id}']?.patch?.description, /Roles: admin\./)
  t.match(doc.paths['/api/keys']?.post?.description, /Roles: admin\./)
  t.match(doc.paths['/api/orders']?.post?.description, /Roles: customer\./)
})

t.test('placing an order documents the Idempotency-Key header and a 202 with its Location', async (t) => {
  const doc = await openApi(t)
  const place = doc.paths['/api/orders']?.post
  const key = place?.parameters?.find((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')
  t.match(key, { required: false, schema: { type: 'string' }, description: /retry/ })
  t.ok(place?.requestBody?.content['application/json']?.schema, 'the body is documented')
  t.match(place?.responses['202'], { headers: { Location: { schema: { type: 'string' } } }, content: { 'application/json': { schema: Object } } })
  t.match(doc.paths['/api/orders/{id}/cancel']?.post?.responses['202'], { headers: { Location: Object } })
})

/**
 * The menu's routes: the version headers each takes, the statuses it must document, and the headers of its success.
 * 412 and 428 belong to the edits that take If-Match, and to no other route.
 */
const menuContracts = [
  { route: 'GET /api/menu', takes: ['if-none-match'], statuses: [200, 304], success: 200, sends: ['etag'] },
  { route: 'POST /api/menu/items', takes: [], statuses: [201, 400, 409, 422], success: 201, sends: ['etag', 'location'] },
  { route: 'PATCH /api/menu/items/{id}', takes: ['if-match'], statuses: [200, 400, 404, 409, 412, 422, 428], success: 200, sends: ['etag'] },
  { route: 'POST /api/menu/items/{id}/retire', takes: ['if-match'], statuses: [200, 400, 404, 409, 412, 428], success: 200, sends: ['etag'] },
  { route: 'GET /api/menu/items/{id}/history', takes: [], statuses: [200, 400, 404], success: 200, sends: [] },
  { route: 'PATCH /api/menu/{id}', takes: [], statuses: [200, 400, 404, 409], success: 200, sends: ['etag'] },
]

t.test('the menu routes document their version headers, their preconditions (412, 428) and every status they answer', async (t) => {
  const documented = new Map(operations(await openApi(t)))
  for (const { route, takes, statuses, success, sends } of menuContracts) {
    const operation = documented.get(route)
    if (!operation) {
      t.fail(`${route} is documented`)
      continue
    }
    t.same(headerParameters(operation), takes, `${route} takes ${takes.join(', ') || 'no version header'}`)
    const answers = Object.keys(operation.responses).map(Number)
    t.same(statuses.filter((status) => !answers.includes(status)), [], `${route} documents ${statuses.join(', ')}`)
    const preconditioned = takes.includes('if-match')
    t.same([412, 428].filter((status) => answers.includes(status)), preconditioned ? [412, 428] : [], `${route}: 412 and 428 only with If-Match`)
    t.same(responseHeaders(operation, success), sends, `${route} ${success} sends ${sends.join(', ') || 'no header'}`)
  }
})

t.test('If-Match is described as required, and a stale edit as answered with the current item', async (t) => {
  const change = (await openApi(t)).paths['/api/menu/items/{id}']?.patch
  t.match(change?.parameters?.find((p) => p.name.toLowerCase() === 'if-match'), { schema: { type: 'string' }, description: /Required.*version/ })
  t.match(change?.responses['412']?.description, /`current`/)
  t.match(change?.responses['428']?.description, /If-Match/)
  t.match(change?.requestBody?.content['application/json']?.schema, { minProperties: 1, additionalProperties: false }, 'a change sets one editable field at least, and nothing else')
})

t.test('order ids and timestamps keep their uuid and date-time formats', async (t) => {
  const doc = await openApi(t)
  const read = doc.paths['/api/orders/{id}']?.get
  t.match(read?.parameters, [{ in: 'path', name: 'id', schema: { type: 'string', format: 'uuid' } }])
  t.match(read?.responses['200']?.content?.['application/json']?.schema, {
    properties: { id: { format: 'uuid' }, placedAt: { type: 'string', format: 'date-time' } },
  })
})

t.test('/docs serves the API explorer as HTML', async (t) => {
  const response = await (await buildApp(t)).inject({ method: 'GET', url: '/docs' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^text\/html/)
  t.match(response.body, /swagger-ui/i)
})

t.test('the AsyncAPI document has a channel per routing key, carrying the contract payloads', async (t) => {
  const response = await (await buildApp(t)).inject({ method: 'GET', url: '/docs/asyncapi.json' })
  t.equal(response.statusCode, 200)
  const doc = response.json<AsyncApiDocument>()
  t.match(doc, { asyncapi: /^3\./, info: { title: String, version: String } })
  const payloads = Object.values(doc.channels).map((channel) => [channel.address, Object.values(channel.messages)[0]?.payload])
  t.same(Object.fromEntries(payloads), {
    'order.placed': plain(OrderPlacedMessage),
    'order.cancel': plain(CancelOrderMessage),
    'order.status-changed': plain(OrderStatusChangedMessage),
    'menu.changed': plain(MenuChangedMessage),
    'webhook.delivery': plain(WebhookDeliveryMessage),
  })
})

t.test("each channel names its topic exchange and its queue (a named quorum queue, or each instance's own), and who sends and who receives it", async (t) => {
  const doc = (await (await buildApp(t)).inject({ method: 'GET', url: '/docs/asyncapi.json' })).json<AsyncApiDocument>()
  t.match(doc.channels['orderPlaced']?.bindings.amqp, {
    is: 'routingKey',
    exchange: { name: 'docs-test.orders', type: 'topic', durable: true },
    'x-queue': { name: 'docs-test.kitchen.orders', type: 'quorum' },
  })
  t.match(doc.channels['orderStatusChanged']?.bindings.amqp, { 'x-queue': { name: 'docs-test.waiter.order-status' } })
  t.match(doc.channels['menuChanged']?.bindings.amqp, { exchange: { name: 'docs-test.orders' }, 'x-queue': { perInstance: true, exclusive: true } })
  // Who sends and who receives each channel is the contracts' own (tested there), for the waiter's topology.
  t.same(doc.operations, plain(buildAsyncApiDocument(topologyFor('docs-test')).operations))
})
