import { performance } from 'node:perf_hooks'
import t from 'tap'
import type { Order } from '@restaurant/shared'
import { contractChecker, type RecordedResponse } from '../support/contract.js'
import { eventually } from '../support/isolation.js'
import { startStack } from '../support/stack.js'

/** The whole system as separate processes, used through the gateway the way a client would. */
t.test('the restaurant, end to end through the gateway', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0.05' })
  t.teardown(stack.stop)
  const recorded: RecordedResponse[] = []
  /** Every /api response is recorded, to be checked against the published contract at the end. */
  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${stack.gateway.url}${path}`, init)
    if (path.startsWith('/api/')) {
      const body: unknown = await response.clone().json().catch(() => undefined)
      const [pathOnly = path] = path.split('?')
      recorded.push({ method: init.method ?? 'GET', path: pathOnly, status: response.status, contentType: response.headers.get('content-type') ?? '', body })
    }
    return response
  }
  const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
    api(path, {
      method: 'POST',
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  const statusOf = async (id: string) => (await (await api(`/api/orders/${id}`)).json()) as Order
  const until = (id: string, status: string) =>
    eventually(async () => ((await statusOf(id)).status === status ? statusOf(id) : undefined), 20_000, `${id} ${status}`)

  t.test('the gateway and every service it fronts are healthy and ready', async (t) => {
    t.equal((await api('/health')).status, 200)
    t.equal((await api('/ready')).status, 200)
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

  t.test('every response above conforms to the published OpenAPI document', async (t) => {
    const check = contractChecker((await (await fetch(`${stack.gateway.url}/docs/json`)).json()) as Parameters<typeof contractChecker>[0])
    t.ok(recorded.length > 50, `${recorded.length} responses recorded`)
    t.same(recorded.map(check).filter(Boolean), [], 'none outside its schema')
  })
})

function json(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}
