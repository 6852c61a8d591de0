import t from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { readEventStream } from '../../../../test/support/sse-client.js'
import { alice, bob, staff } from '../use-cases/fake-ports.js'
import { buildTestApp } from './app-harness.js'

t.test("following every order replays nothing without Last-Event-ID and relays every order's events", async (t) => {
  const { app, headersOf, hub } = await buildTestApp(t)
  const [one, two] = [buildOrder(), buildOrder()]
  const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/orders/events`
  hub.emit({ id: '1-0', orderId: one.id, status: 'placed', at: one.placedAt, correlationId: 'req-1', order: one })
  const reading = readEventStream(url, headersOf(staff), { done: (events) => events.length >= 2, timeoutMs: 5_000 })
  while (hub.listening() === 0) await new Promise((resolve) => setTimeout(resolve, 10))
  hub.emit({ id: '2-0', orderId: one.id, status: 'accepted', at: one.placedAt, correlationId: 'req-1', order: one })
  hub.emit({ id: '3-0', orderId: two.id, status: 'placed', at: two.placedAt, correlationId: 'req-2', order: two })
  const { events } = await reading
  t.same(events.map((event) => [event.id, event.data.orderId]), [['2-0', one.id], ['3-0', two.id]])
})

t.test("another customer's order stream is not found, and a customer cannot follow every order", async (t) => {
  const { app, headersOf, views } = await buildTestApp(t)
  const order = buildOrder({ owner: 'alice' })
  views.stored.set(order.id, order)
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  t.equal((await readEventStream(`${base}/api/orders/${order.id}/events`, headersOf(bob), { done: () => true, timeoutMs: 5_000 })).status, 404)
  t.equal((await readEventStream(`${base}/api/orders/events`, headersOf(alice), { done: () => true, timeoutMs: 5_000 })).status, 403)
})

t.test('open streams end when the waiter closes', async (t) => {
  const { app, headersOf, views } = await buildTestApp(t)
  const order = buildOrder({ owner: 'alice' })
  views.stored.set(order.id, order)
  const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/orders/${order.id}/events`
  const reading = readEventStream(url, headersOf(alice), { done: () => false, timeoutMs: 10_000 })
  await new Promise((resolve) => setTimeout(resolve, 200))
  const started = Date.now()
  await app.close()
  const { status } = await reading
  t.equal(status, 200)
  t.ok(Date.now() - started < 5_000, 'the stream did not hold the close up')
})
