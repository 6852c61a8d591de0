import t, { type Test } from 'tap'
import { CancelOrderMessage, OrderPlacedMessage, OrderStatusChangedMessage, Problem, PROBLEM_CONTENT_TYPE, topologyFor, type AsyncApiDocument } from '@restaurant/contracts'
import type { ApiKeys } from '@restaurant/platform/auth/api-keys'
import { DEVELOPMENT_SECRETS } from '@restaurant/platform/runtime/config'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { createMetricsRegistry } from '@restaurant/platform/runtime/metrics'
import { buildWaiterApp } from '../../src/app.js'
import type { OrderEventHub } from '../../src/adapters/order-event-hub.js'
import type { Waiter } from '../../src/use-cases/waiter.js'

interface Media { schema?: unknown }
interface Response { description?: unknown; headers?: Record<string, Media>; content?: Record<string, Media> }
interface Parameter { name: string; in: string; required?: boolean; schema?: unknown; description?: string }
interface Operation {
  tags?: string[]
  summary?: string
  description?: string
  parameters?: Parameter[]
  requestBody?: { content: Record<string, Media> }
  responses: Record<string, Response>
  security?: Record<string, string[]>[]
}
interface OpenApiDocument {
  components?: { securitySchemes?: Record<string, object> }
  openapi: string
  info: { title: string; version: string; description?: string }
  servers?: { url: string }[]
  tags?: { name: string }[]
  paths: Record<string, Record<string, Operation>>
}

const publicRoutes = [
  'GET /api/menu',
  'PATCH /api/menu/{id}',
  'POST /api/orders',
  'GET /api/orders',
  'GET /api/orders/{id}',
  'GET /api/orders/events',
  'GET /api/orders/{id}/events',
  'POST /api/orders/{id}/cancel',
  'POST /api/keys',
  'GET /api/keys',
  'DELETE /api/keys/{id}',
]
const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

// The documents are read, never a route: a waiter that is called fails the test.
const uncalled = async (): Promise<never> => {
  throw new Error('the docs tests call no route')
}
const waiter: Waiter = {
  placeOrder: uncalled,
  getOrder: uncalled,
  cancelOrder: uncalled,
  listOrders: uncalled,
  setAvailability: uncalled,
  menu: uncalled,
  applyStatus: uncalled,
}
const apiKeys: ApiKeys = { create: uncalled, authenticate: uncalled, list: uncalled, revoke: uncalled }
const hub: OrderEventHub = { subscribe: () => () => undefined, orderEvents: uncalled, allEvents: uncalled, close: async () => undefined }

async function buildApp(t: Test) {
  const app = await buildWaiterApp({
    log: createLogger({ name: 'test', level: 'silent', pretty: false }),
    waiter,
    apiKeys,
    identitySecret: DEVELOPMENT_SECRETS.IDENTITY_SECRET,
    dependencies: {},
    maxEventLoopDelayMs: 1000,
    topology: topologyFor('docs-test'),
    events: { hub, heartbeatMs: 5_000, maxUnreadBytes: 65_536 },
    metrics: createMetricsRegistry('docs-test'),
  })
  t.teardown(() => app.close())
  return app
}

async function openApi(t: Test): Promise<OpenApiDocument> {
  const response = await (await buildApp(t)).inject({ method: 'GET', url: '/docs/json' })
  t.equal(response.statusCode, 200)
  return response.json<OpenApiDocument>()
}

function operations(doc: OpenApiDocument): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, Operation] => [`${method.toUpperCase()} ${path}`, operation]),
  )
}

/** What an OpenAPI 3.x validator would refuse in the parts of the document this API uses. */
function structuralProblems(doc: OpenApiDocument): string[] {
  const problems: string[] = []
  const check = (ok: boolean, problem: string) => void (ok || problems.push(problem))
  check(/^3\.[01]\.\d+$/.test(doc.openapi), `openapi version ${doc.openapi}`)
  check(doc.info.title.length > 0 && doc.info.version.length > 0, 'info needs a title and a version')
  check((doc.servers ?? []).every((server) => typeof server.url === 'string'), 'servers need a url')
  check(!JSON.stringify(doc).includes('"$ref"'), 'no $ref: every schema is inline')
  const declaredTags = new Set((doc.tags ?? []).map((tag) => tag.name))
  for (const [path, item] of Object.entries(doc.paths)) {
    check(path.startsWith('/'), `${path} must start with /`)
    for (const [method, operation] of Object.entries(item)) {
      const at = `${method} ${path}`
      check(methods.has(method), `${at}: unknown method`)
      const parameters = operation.parameters ?? []
      const inPath = parameters.filter((p) => p.in === 'path').map((p) => p.name)
      check(JSON.stringify(inPath.sort()) === JSON.stringify([...path.matchAll(/{(\w+)}/g)].map((m) => m[1]).sort()), `${at}: path parameters`)
      for (const p of parameters) {
        check(['query', 'header', 'path', 'cookie'].includes(p.in) && typeof p.schema === 'object', `${at}: parameter ${p.name}`)
        check(p.in !== 'path' || p.required === true, `${at}: path parameter ${p.name} must be required`)
      }
      check(new Set(parameters.map((p) => `${p.in}:${p.name}`)).size === parameters.length, `${at}: duplicate parameters`)
      check((operation.tags ?? []).every((tag) => declaredTags.has(tag)), `${at}: undeclared tag`)
      const responses = Object.entries(operation.responses)
      check(responses.length > 0, `${at}: no responses`)
      for (const [status, response] of responses) {
        check(/^([1-5]\d\d|[1-5]XX|default)$/.test(status), `${at}: status ${status}`)
        check(typeof response.description === 'string', `${at} ${status}: description`)
        const parts = [...Object.values(response.content ?? {}), ...Object.values(response.headers ?? {})]
        check(parts.every((part) => typeof part.schema === 'object'), `${at} ${status}: content and headers need a schema`)
      }
    }
  }
  return problems
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
  t.match(doc.paths['/api/menu/{id}']?.patch?.description, /Roles: staff\./)
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
  })
})

t.test('each channel names its topic exchange and quorum queue, and who sends and who receives it', async (t) => {
  const doc = (await (await buildApp(t)).inject({ method: 'GET', url: '/docs/asyncapi.json' })).json<AsyncApiDocument>()
  t.match(doc.channels['orderPlaced']?.bindings.amqp, {
    is: 'routingKey',
    exchange: { name: 'docs-test.orders', type: 'topic', durable: true },
    'x-queue': { name: 'docs-test.kitchen.orders', type: 'quorum' },
  })
  t.match(doc.channels['orderStatusChanged']?.bindings.amqp, { 'x-queue': { name: 'docs-test.waiter.order-status' } })
  const sides = Object.values(doc.operations).map((op) => `${op.tags[0]?.name} ${op.action} ${op.channel.$ref}`)
  t.same(sides.sort(), [
    'kitchen receive #/channels/cancelOrder',
    'kitchen receive #/channels/orderPlaced',
    'kitchen send #/channels/orderStatusChanged',
    'waiter receive #/channels/orderStatusChanged',
    'waiter send #/channels/cancelOrder',
    'waiter send #/channels/orderPlaced',
  ])
})
