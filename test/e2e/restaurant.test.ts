import { performance } from 'node:perf_hooks'
import t from 'tap'
import type { StaffOrder } from '@restaurant/contracts/kitchen-api'
import type { Order } from '@restaurant/contracts/orders'
import { contractChecker, type RecordedResponse } from '../support/contract.js'
import { admin, badTokens, bearer, customer, staff, tokenFor } from '../support/credentials.js'
import { eventually } from '../support/isolation.js'
import { startStack } from '../support/stack.js'

/** The whole system as separate processes, used through the gateway the way a client would. */
t.test('the restaurant, end to end through the gateway', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0.05' })
  t.teardown(stack.stop)
  const guestToken = tokenFor(customer('e2e-guest'))
  const guest = bearer(guestToken)
  /** Every credential sent, to look for in the logs at the end. */
  const secrets = [guestToken]
  const recorded: RecordedResponse[] = []
  /** Every /api response is recorded, to be checked against the published contract at the end. */
  /** Sent as the guest, a customer, unless another credential (or none: `{}`) is given. */
  const api = async (path: string, init: RequestInit = {}, credential: Record<string, string> = guest) => {
    const response = await fetch(`${stack.gateway.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...credential } })
    if (path.startsWith('/api/')) {
      const body: unknown = await response.clone().json().catch(() => undefined)
      const [pathOnly = path] = path.split('?')
      recorded.push({ method: init.method ?? 'GET', path: pathOnly, status: response.status, contentType: response.headers.get('content-type') ?? '', body })
    }
    return response
  }
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, credential = guest) =>
    api(
      path,
      {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      credential,
    )
  const post = (path: string, body?: unknown, headers: Record<string, string> = {}) => send('POST', path, body, headers)
  const statusOf = async (id: string) => (await (await api(`/api/orders/${id}`)).json()) as Order
  const until = (id: string, status: string) =>
    eventually(async () => ((await statusOf(id)).status === status ? statusOf(id) : undefined), 20_000, `${id} ${status}`)

  t.test('the gateway and every service it fronts are healthy and ready, on their internal ports', async (t) => {
    for (const service of [stack.gateway, stack.waiter, stack.kitchen]) {
      t.equal((await fetch(`${service.internalUrl}/health`)).status, 200, `${service.name} is alive`)
      t.equal((await fetch(`${service.internalUrl}/ready`)).status, 200, `${service.name} is ready`)
    }
  })

  t.test('the menu lists about a dozen items across stations', async (t) => {
    const { items } = (await (await api('/api/menu')).json()) as { items: Array<{ station: string }> }
    t.ok(items.length >= 10)
    t.ok(new Set(items.map((item) => item.station)).size >= 4)
  })

  t.test('an order reaches ready with its full history, traced by one correlation id in every service', async (t) => {
    const started = performance.now()
    const response = await post('/api/orders', { items: [{ menuItemId: 'lemonade', quantity: 1 }] }, { 'x-request-id': 'e2e-trace-1' })
    t.equal(response.status, 202)
    t.equal(response.headers.get('x-request-id'), 'e2e-trace-1')
    const placed = (await response.json()) as Order
    t.equal(response.headers.get('location'), `/api/orders/${placed.id}`)
    const ready = await until(placed.id, 'ready')
    t.comment(`POST to ready through the gateway at speed factor 0.05: ${Math.round(performance.now() - started)} ms`)
    t.same(ready.history.map((h) => h.status), ['placed', 'accepted', 'cooking', 'ready'])
    t.ok(ready.result && ready.result.totalPrepMs >= 0)
    for (const service of [stack.gateway, stack.waiter, stack.kitchen]) {
      t.match(service.output(), /"reqId":"e2e-trace-1"/, `${service.name} logs the correlation id`)
    }
    t.notOk('cookedUnits' in ready, 'a customer sees the order, not the kitchen record')
    const seenByStaff = (await (await api(`/api/orders/${placed.id}`, {}, bearer(staff))).json()) as StaffOrder
    t.match(seenByStaff, {
      status: 'ready',
      cookedUnits: [{ unit: 0, menuItemId: 'lemonade', startedAt: String, endedAt: String }],
      cookingAttempts: [{ startedAt: String, endedAt: ready.history.at(-1)?.at }],
    }, 'staff see the witness of each unit and the attempt that completed the order')
  })

  t.test('an order waiting for its station can be cancelled; one already cooking cannot', async (t) => {
    // Twenty burgers fill the grill (four at a time) for a while; the next burger waits its turn.
    const busy = (await (await post('/api/orders', { items: [{ menuItemId: 'classic-burger', quantity: 20 }] })).json()) as Order
    const waiting = (await (await post('/api/orders', { items: [{ menuItemId: 'classic-burger', quantity: 1 }] })).json()) as Order
    await until(busy.id, 'cooking')
    const inTime = await post(`/api/orders/${waiting.id}/cancel`)
    t.equal(inTime.status, 202)
    await until(waiting.id, 'cancelled')
    const tooLate = await post(`/api/orders/${busy.id}/cancel`)
    t.equal(tooLate.status, 409)
    t.match(await tooLate.json(), { code: 'too-late-to-cancel', currentStatus: 'cooking' })
    await until(busy.id, 'ready')
  })

  t.test('a retried POST with the same Idempotency-Key returns the same order', async (t) => {
    const body = { items: [{ menuItemId: 'espresso', quantity: 2 }] }
    const headers = { 'idempotency-key': 'e2e-key-1' }
    const [a, b] = await Promise.all([post('/api/orders', body, headers), post('/api/orders', body, headers)])
    const first = (await a.json()) as Order
    t.equal(((await b.json()) as Order).id, first.id)
    t.equal(((await (await post('/api/orders', body, headers)).json()) as Order).id, first.id)
    t.equal((await post('/api/orders', { items: [{ menuItemId: 'espresso', quantity: 3 }] }, headers)).status, 422)
  })

  t.test('bad input gets a 4xx problem naming what is wrong, never a 5xx', async (t) => {
    const line = (overrides: object) => ({ items: [{ menuItemId: 'fries', quantity: 1, ...overrides }] })
    const cases: Array<[string, RequestInit, number, string]> = [
      ['unknown item', json(line({ menuItemId: 'pizza' })), 422, '/items/0/menuItemId'],
      ['quantity 0', json(line({ quantity: 0 })), 400, '/items/0/quantity'],
      ['quantity 21', json(line({ quantity: 21 })), 400, '/items/0/quantity'],
      ['notes over 200 characters', json(line({ notes: 'x'.repeat(201) })), 400, '/items/0/notes'],
      ['51 lines', json({ items: Array.from({ length: 51 }, () => ({ menuItemId: 'fries', quantity: 1 })) }), 400, '/items'],
      ['no items', json({}), 400, '/items'],
      ['malformed JSON', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"items": [' }, 400, ''],
      ['wrong content type', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'two fries' }, 415, ''],
      ['loose JSON content type', { method: 'POST', headers: { 'content-type': 'application/json;' }, body: '{}' }, 415, ''],
      ['prototype poisoning', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"__proto__":{"admin":true},"items":[]}' }, 400, ''],
      ['constructor poisoning', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"constructor":{"prototype":{"admin":true}},"items":[]}' }, 400, ''],
      ['a body over 64 KiB', json(line({ notes: 'x'.repeat(70_000) })), 413, ''],
    ]
    for (const [name, init, status, field] of cases) {
      const response = await api('/api/orders', init)
      t.equal(response.status, status, name)
      t.match(response.headers.get('content-type'), /^application\/problem\+json/, `${name}: problem+json`)
      const problem = (await response.json()) as { code: string; invalidParams?: Array<{ name: string }> }
      t.type(problem.code, 'string', `${name}: stable code`)
      if (field) t.ok(problem.invalidParams?.some((p) => p.name === field), `${name}: names ${field}`)
    }
    t.equal((await api('/api/orders/not-a-uuid')).status, 400)
    t.equal((await api('/api/orders/0190a0a0-0000-7000-8000-000000000000')).status, 404)
  })

  t.test('without a valid credential the API answers 401; with the wrong role, 403', async (t) => {
    const orders = await api('/api/orders', {}, {})
    t.equal(orders.status, 401)
    t.match(orders.headers.get('www-authenticate'), /^Bearer/)
    t.equal((await api('/api/orders', {}, bearer(badTokens.expired))).status, 401)
    t.equal((await api('/api/menu', {}, {})).status, 200, 'the menu is open to anyone')
    t.equal((await send('PATCH', '/api/menu/fries', { available: false })).status, 403, 'a customer cannot change the menu')
  })

  t.test('staff mark an item sold out: queued orders for it are rejected with the reason, new ones refused with 422', async (t) => {
    const busy = (await (await post('/api/orders', { items: [{ menuItemId: 'grilled-chicken', quantity: 20 }] })).json()) as Order
    const queued = (await (await post('/api/orders', { items: [{ menuItemId: 'veggie-burger', quantity: 1 }] })).json()) as Order
    await until(queued.id, 'accepted')
    const soldOut = await send('PATCH', '/api/menu/veggie-burger', { available: false }, {}, bearer(staff))
    t.equal(soldOut.status, 200)
    t.match(await soldOut.json(), { id: 'veggie-burger', available: false })
    t.match(await until(queued.id, 'rejected'), { reason: 'sold out: veggie-burger' })
    const refused = await post('/api/orders', { items: [{ menuItemId: 'veggie-burger', quantity: 1 }] })
    t.equal(refused.status, 422)
    t.match(await refused.json(), { invalidParams: [{ name: '/items/0/menuItemId', reason: 'veggie-burger is sold out' }] })
    const { items } = (await (await api('/api/menu', {}, {})).json()) as { items: Array<{ id: string; available: boolean }> }
    t.match(items.find((item) => item.id === 'veggie-burger'), { available: false })
    t.equal((await send('PATCH', '/api/menu/veggie-burger', { available: true }, {}, bearer(staff))).status, 200)
    t.equal((await post('/api/orders', { items: [{ menuItemId: 'veggie-burger', quantity: 1 }] })).status, 202, 'back on the menu')
    await until(busy.id, 'ready')
  })

  t.test('an admin creates an API key; a till orders with it; once revoked it is refused', async (t) => {
    const created = await send('POST', '/api/keys', { name: 'front till', roles: ['customer'] }, {}, bearer(admin))
    t.equal(created.status, 201)
    const { id, key } = (await created.json()) as { id: string; key: string }
    secrets.push(key)
    const till = bearer(key)
    const placed = await send('POST', '/api/orders', { items: [{ menuItemId: 'fries', quantity: 1 }] }, {}, till)
    t.equal(placed.status, 202)
    t.match(await placed.json(), { owner: `key:${id}` })
    const listed = (await (await api('/api/keys', {}, bearer(admin))).json()) as { keys: Array<Record<string, unknown>> }
    t.ok(listed.keys.some((entry) => entry.id === id && !('key' in entry) && !('hash' in entry)), 'listed without its secret')
    t.equal((await send('DELETE', `/api/keys/${id}`, undefined, {}, bearer(admin))).status, 200)
    t.equal((await api('/api/orders', {}, till)).status, 401, 'revoked at once')
  })

  t.test('every service serves its metrics in the Prometheus format, with request latencies by route', async (t) => {
    for (const service of [stack.gateway, stack.waiter, stack.kitchen]) {
      const response = await fetch(`${service.internalUrl}/metrics`)
      t.equal(response.status, 200, service.name)
      const text = await response.text()
      t.match(text, new RegExp(`process_resident_memory_bytes\\{service="${service.name}"\\}`), `${service.name}: runtime metrics`)
      t.match(text, /http_request_duration_seconds_bucket\{/, `${service.name}: request latencies`)
    }
    const counted = (text: string, metric: string, ...labels: string[]) =>
      text.split('\n').some((line) => line.startsWith(`${metric}{`) && labels.every((label) => line.includes(label)) && Number(line.split(' ').at(-1)) > 0)
    const waiter = await (await fetch(`${stack.waiter.internalUrl}/metrics`)).text()
    t.ok(counted(waiter, 'waiter_order_statuses_total', 'status="placed"'), 'orders placed')
    t.ok(counted(waiter, 'waiter_order_statuses_total', 'status="ready"'), 'orders by status')
    t.ok(counted(waiter, 'waiter_order_seconds_since_placed_count', 'status="ready"'), 'time from placed to ready')
    t.ok(counted(waiter, 'amqp_publish_confirm_seconds_count', 'routing_key="order.placed"'), 'publish-confirm latency')
    t.ok(counted(waiter, 'amqp_deliveries_total', 'waiter.order-status', 'outcome="acked"'), 'status events consumed and acked')
    t.match(waiter, /^sse_open_streams\{service="waiter"\} \d+$/m, 'open event streams')
    t.match(waiter, /^amqp_queue_messages\{queue="[^"]+\.dead",role="dead_letter",service="waiter"\} \d+$/m, 'dead-letter depth')
    const kitchen = await (await fetch(`${stack.kitchen.internalUrl}/metrics`)).text()
    t.ok(counted(kitchen, 'amqp_deliveries_total', 'kitchen.orders', 'outcome="acked"'), 'orders consumed and acked')
    t.ok(counted(kitchen, 'kitchen_cooking_seconds_count'), 'cooking times')
    t.match(kitchen, /^amqp_queue_messages\{queue="[^"]+\.retry\.\d+ms",role="retry",service="kitchen"\} \d+$/m, 'retry-tier depths')
    t.ok(counted(kitchen, 'amqp_publish_confirm_seconds_count', 'routing_key="order.status-changed"'), "the kitchen's confirms")
  })

  t.test('credentials never reach the logs', async (t) => {
    for (const service of [stack.gateway, stack.waiter, stack.kitchen]) {
      for (const secret of secrets) t.notOk(service.output().includes(secret), `${service.name} never logs ${secret.slice(0, 8)}…`)
    }
  })

  t.test('every response above conforms to the published OpenAPI document', async (t) => {
    const check = contractChecker((await (await fetch(`${stack.gateway.url}/docs/json`)).json()) as Parameters<typeof contractChecker>[0])
    t.ok(recorded.length > 50, `${recorded.length} responses recorded`)
    t.same(recorded.map(check).filter(Boolean), [], 'none outside its schema')
  })
})

function json(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}
