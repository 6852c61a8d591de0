import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { alice, bob, staff, ticketOf } from '../use-cases/fake-ports.js'
import { buildTestApp } from './app-harness.js'

const body = { items: [{ menuItemId: 'classic-burger', quantity: 1 }] }

t.test('placing an order answers 202 with the order and its Location', async (t) => {
  const { app, headersOf, bus } = await buildTestApp(t)
  const response = await app.inject({ method: 'POST', url: '/api/orders', payload: body, headers: headersOf(alice) })
  t.equal(response.statusCode, 202)
  const order = response.json<Order>()
  t.match(order, { status: 'placed', owner: 'alice', totalCents: 1150 })
  t.equal(response.headers.location, `/api/orders/${order.id}`)
  t.equal(bus.published('order.placed').length, 1)
})

t.test('the Idempotency-Key header reaches the use case: a retry answers with the same order', async (t) => {
  const { app, headersOf, bus } = await buildTestApp(t)
  const place = () => app.inject({ method: 'POST', url: '/api/orders', payload: body, headers: { ...headersOf(alice), 'idempotency-key': 'key-1' } })
  const first = (await place()).json<Order>()
  t.same((await place()).json<Order>(), first)
  t.equal(bus.published('order.placed').length, 1)
})

t.test('an invalid body or key is refused with 400 before any use case runs', async (t) => {
  const { app, headersOf, bus } = await buildTestApp(t)
  const noItems = await app.inject({ method: 'POST', url: '/api/orders', payload: { items: [] }, headers: headersOf(alice) })
  t.equal(noItems.statusCode, 400)
  const badKey = await app.inject({ method: 'POST', url: '/api/orders', payload: body, headers: { ...headersOf(alice), 'idempotency-key': 'with space' } })
  t.equal(badKey.statusCode, 400)
  t.same(bus.published(), [])
})

t.test('reading an order: its owner and staff see it, anyone else gets 404', async (t) => {
  const { app, headersOf, kitchen } = await buildTestApp(t)
  const order = buildOrder({ owner: 'alice' })
  kitchen.tickets.set(order.id, ticketOf(order))
  const read = (identity: typeof alice) => app.inject({ method: 'GET', url: `/api/orders/${order.id}`, headers: headersOf(identity) })
  t.same((await read(alice)).json(), order)
  t.match((await read(staff)).json(), { id: order.id, cookedUnits: [], cookingAttempts: [] })
  t.match(await read(bob), { statusCode: 404 })
})

t.test('listing orders passes the query on, narrowed to the caller', async (t) => {
  const { app, headersOf, kitchen } = await buildTestApp(t)
  const response = await app.inject({ method: 'GET', url: '/api/orders?status=placed&limit=5', headers: headersOf(alice) })
  t.equal(response.statusCode, 200)
  t.same(kitchen.listed, [{ status: 'placed', limit: 5, owner: 'alice' }])
})

t.test('cancelling answers 202 and sends the cancellation; too late answers 409 with the current status', async (t) => {
  const { app, headersOf, kitchen, bus } = await buildTestApp(t)
  const accepted = withStatus(buildOrder({ owner: 'alice' }), 'accepted')
  const cooking = withStatus(withStatus(buildOrder({ owner: 'alice' }), 'accepted'), 'cooking')
  for (const order of [accepted, cooking]) kitchen.tickets.set(order.id, ticketOf(order))
  const cancel = (id: string) => app.inject({ method: 'POST', url: `/api/orders/${id}/cancel`, headers: headersOf(alice) })
  const sent = await cancel(accepted.id)
  t.equal(sent.statusCode, 202)
  t.equal(sent.headers.location, `/api/orders/${accepted.id}`)
  t.match(await cancel(cooking.id), { statusCode: 409 })
  t.match((await cancel(cooking.id)).json(), { code: 'too-late-to-cancel', currentStatus: 'cooking' })
  t.equal(bus.published('order.cancel').length, 1)
})
