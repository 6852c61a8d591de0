import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { eventually, removeRedisKeys } from '../support/isolation.js'
import { startInProcessSystem } from '../support/in-process-system.js'

const fries = { items: [{ menuItemId: 'fries', quantity: 2 }] }

t.test('an accepted order is durable, readable at once, and reaches ready with its history and result', async (t) => {
  const system = await startInProcessSystem(t)
  const response = await system.inject({ method: 'POST', url: '/api/orders', payload: fries })
  t.equal(response.statusCode, 202)
  const placed = response.json<Order>()
  t.equal(response.headers.location, `/api/orders/${placed.id}`)
  t.match(placed, { status: 'placed', totalCents: 900 })
  t.ok((await system.readOrder(placed.id)).id, 'readable right after the 202')
  const ready = await system.waitForStatus(placed.id, 'ready')
  t.same(ready.history.map((entry) => entry.status), ['placed', 'accepted', 'cooking', 'ready'])
  t.equal(ready.result?.items.length, 2)
  t.equal((await system.kitchen?.store.get(placed.id))?.order.status, 'ready', 'the kitchen stored the same state')
})

t.test('retries with one Idempotency-Key, even concurrent, make one order', async (t) => {
  const system = await startInProcessSystem(t)
  const post = () =>
    system.inject({ method: 'POST', url: '/api/orders', payload: fries, headers: { 'idempotency-key': 'retry-1' } })
  const responses = await Promise.all(Array.from({ length: 10 }, post))
  t.same(new Set(responses.map((r) => r.statusCode)), new Set([202]))
  const ids = new Set(responses.map((r) => r.json<Order>().id))
  t.equal(ids.size, 1, 'every retry names the same order')
  const [id] = [...ids] as [string]
  await system.waitForStatus(id, 'ready')
  const later = await post()
  t.equal(later.json<Order>().id, id)
  t.equal(later.json<Order>().status, 'ready', 'a later retry returns the order as it now stands')
  const page = (await system.inject({ method: 'GET', url: '/api/orders?limit=100' })).json<{ orders: Order[] }>()
  t.equal(page.orders.length, 1, 'the kitchen holds exactly one order')
})

t.test('the same Idempotency-Key with a different body is refused with 422', async (t) => {
  const system = await startInProcessSystem(t)
  const headers = { 'idempotency-key': 'reuse-1' }
  await system.inject({ method: 'POST', url: '/api/orders', payload: fries, headers })
  const reused = await system.inject({ method: 'POST', url: '/api/orders', payload: { items: [{ menuItemId: 'fries', quantity: 3 }] }, headers })
  t.equal(reused.statusCode, 422)
  t.equal(reused.json().code, 'idempotency-key-reused')
})

t.test('after Redis forgets everything, a retry still returns the same order and key reuse is still refused', async (t) => {
  const system = await startInProcessSystem(t)
  const headers = { 'idempotency-key': 'forgotten-1' }
  const first = (await system.inject({ method: 'POST', url: '/api/orders', payload: fries, headers })).json<Order>()
  await system.waitForStatus(first.id, 'ready')
  await removeRedisKeys(system.run.redisPrefix)
  const retry = await system.inject({ method: 'POST', url: '/api/orders', payload: fries, headers })
  t.equal(retry.statusCode, 202)
  t.match(retry.json(), { id: first.id, status: 'ready' }, "answered from the kitchen's record")
  await removeRedisKeys(system.run.redisPrefix)
  const reused = await system.inject({ method: 'POST', url: '/api/orders', payload: { items: [{ menuItemId: 'lemonade', quantity: 1 }] }, headers })
  t.equal(reused.statusCode, 422)
})

t.test("reads fall back to the kitchen's record when the view is gone, and refill the view", async (t) => {
  const system = await startInProcessSystem(t)
  const placed = (await system.inject({ method: 'POST', url: '/api/orders', payload: fries })).json<Order>()
  await system.waitForStatus(placed.id, 'ready')
  await removeRedisKeys(system.run.redisPrefix)
  const read = await system.inject({ method: 'GET', url: `/api/orders/${placed.id}` })
  t.equal(read.statusCode, 200)
  t.equal(read.json<Order>().status, 'ready')
  t.ok(await system.redis.exists(`order:${placed.id}`), 'the view holds the order again')
})

t.test('an unknown order is 404 with a problem body', async (t) => {
  const system = await startInProcessSystem(t)
  const read = await system.inject({ method: 'GET', url: '/api/orders/0190a0a0-0000-7000-8000-000000000000' })
  t.equal(read.statusCode, 404)
  t.equal(read.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(read.json().code, 'order-not-found')
})

t.test('orders list newest first, filter by status and page with a cursor', async (t) => {
  const system = await startInProcessSystem(t)
  const ids: string[] = []
  for (let i = 0; i < 5; i++) {
    const order = (await system.inject({ method: 'POST', url: '/api/orders', payload: fries })).json<Order>()
    ids.push(order.id)
    await system.waitForStatus(order.id, 'ready')
  }
  const first = (await system.inject({ method: 'GET', url: '/api/orders?limit=3&status=ready' })).json<{ orders: Order[]; nextCursor?: string }>()
  t.same(first.orders.map((o) => o.id), ids.slice(2).reverse())
  t.ok(first.nextCursor)
  const second = (await system.inject({ method: 'GET', url: `/api/orders?limit=3&status=ready&cursor=${first.nextCursor}` })).json<{ orders: Order[]; nextCursor?: string }>()
  t.same(second.orders.map((o) => o.id), ids.slice(0, 2).reverse())
  t.notOk(second.nextCursor, 'the last page has no cursor')
  const none = (await system.inject({ method: 'GET', url: '/api/orders?status=cancelled' })).json<{ orders: Order[] }>()
  t.same(none.orders, [])
})

t.test('a new Idempotency-Key costs no call to the kitchen once Redis is known to remember every key', async (t) => {
  const system = await startInProcessSystem(t)
  const kitchenReads = async () => {
    const text = (await system.kitchen?.metrics.metrics()) ?? ''
    return text
      .split('\n')
      .filter((line) => line.startsWith('http_request_duration_seconds_count{') && line.includes('/internal/orders'))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0)
  }
  await system.inject({ method: 'POST', url: '/api/orders', payload: fries, headers: { 'idempotency-key': 'learn-1' } })
  // The record of what Redis remembers (idempotency-reservations.ts): until when a missing key is doubtful, on which master.
  await eventually(async () => (await system.redis.hget('idempotency:memory', 'until')) ?? undefined, 5_000, 'Redis to learn what it remembers')
  t.equal(await system.redis.hget('idempotency:memory', 'until'), '0', 'the kitchen held no order before: nothing could have been forgotten')
  const before = await kitchenReads()
  for (let i = 0; i < 5; i++) {
    t.equal((await system.inject({ method: 'POST', url: '/api/orders', payload: fries, headers: { 'idempotency-key': `new-${i}` } })).statusCode, 202)
  }
  t.equal(await kitchenReads(), before, 'five new keys, no lookups')
  const retried = await system.inject({ method: 'POST', url: '/api/orders', payload: fries, headers: { 'idempotency-key': 'new-0' } })
  t.equal(retried.statusCode, 202, 'a retry is still answered with its order')
})

t.test('an order of more units in all than allowed is refused with 422 naming the items, and nothing is placed', async (t) => {
  const system = await startInProcessSystem(t, { MAX_UNITS_PER_ORDER: '40' })
  const giant = { items: Array.from({ length: 3 }, () => ({ menuItemId: 'grilled-chicken', quantity: 20 })) }
  const refused = await system.inject({ method: 'POST', url: '/api/orders', payload: giant })
  t.equal(refused.statusCode, 422)
  t.match(refused.json(), { code: 'order-too-large', invalidParams: [{ in: 'body', name: '/items', reason: '60 units in all; at most 40' }] })
  const page = (await system.inject({ method: 'GET', url: '/api/orders?limit=10' })).json<{ orders: Order[] }>()
  t.same(page.orders, [], 'the kitchen holds no order')
})

t.test('a read of an open order whose view missed a status shows the kitchen’s record, and the view and its stream catch up', async (t) => {
  const system = await startInProcessSystem(t, { VIEW_REFRESH_AFTER_MS: '200' })
  const placed = (await system.inject({ method: 'POST', url: '/api/orders', payload: fries })).json<Order>()
  const ready = await system.waitForStatus(placed.id, 'ready')
  // As if the last status events never reached this view: it stays at accepted, changed a while ago.
  const stale = { ...ready, status: 'accepted', history: ready.history.slice(0, 2), version: 2, result: undefined }
  await system.redis.hset(`order:${placed.id}`, 'version', '2', 'order', JSON.stringify(stale))
  await system.redis.del(`order-events:${placed.id}`)
  await new Promise((resolve) => setTimeout(resolve, 250))
  const read = await system.readOrder(placed.id)
  t.equal(read.status, 'ready', "the kitchen's record answers")
  t.equal(JSON.parse((await system.redis.hget(`order:${placed.id}`, 'order')) ?? '{}').status, 'ready', 'the view caught up')
  const announced = await system.redis.xrange(`order-events:${placed.id}`, '-', '+')
  t.same(announced.map(([, fields]) => fields[fields.indexOf('status') + 1]), ['cooking', 'ready'], 'the statuses it missed were announced')
})
