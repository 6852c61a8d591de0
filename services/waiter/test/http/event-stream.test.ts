import t, { type Test } from 'tap'
import type { OrderStatus } from '@restaurant/contracts/order-status'
import { buildOrder } from '@restaurant/contracts/testing'
import { readEventStream } from '../../../../test/support/sse-client.js'
import type { OrderEvent } from '../../src/adapters/order-event-hub.js'
import { alice } from '../use-cases/fake-ports.js'
import { buildTestApp } from './app-harness.js'

const order = buildOrder({ owner: 'alice' })
const event = (id: string, status: OrderStatus): OrderEvent => ({ id, orderId: order.id, status, at: order.placedAt, correlationId: 'req-1', order })

async function listening(t: Test) {
  const built = await buildTestApp(t)
  built.views.stored.set(order.id, order)
  const url = await built.app.listen({ host: '127.0.0.1', port: 0 })
  return { ...built, url: `${url}/api/orders/${order.id}/events` }
}

const until = async (condition: () => boolean) => {
  for (let waited = 0; !condition() && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10))
}

t.test('a stream replays what was missed, then relays live events, in order', async (t) => {
  const { url, headersOf, hub } = await listening(t)
  hub.emit(event('1-0', 'placed'))
  const reading = readEventStream(url, headersOf(alice), { done: (events) => events.length >= 2, timeoutMs: 5_000 })
  await until(() => hub.listening() > 0)
  hub.emit(event('2-0', 'accepted'))
  const { status, events } = await reading
  t.equal(status, 200)
  t.same(events.map((received) => [received.id, received.event]), [['1-0', 'placed'], ['2-0', 'accepted']])
  t.match(events[1]?.data, { orderId: order.id, status: 'accepted', correlationId: 'req-1' })
})

t.test('a resumed stream sends only what came after, and no status twice or backwards', async (t) => {
  const { url, headersOf, hub } = await listening(t)
  for (const [id, status] of [['1-0', 'placed'], ['2-0', 'accepted'], ['3-0', 'placed'], ['4-0', 'cooking']] as const) hub.emit(event(id, status))
  const { events } = await readEventStream(url, headersOf(alice), { lastEventId: '1-0', done: (events) => events.length >= 2, timeoutMs: 5_000 })
  t.same(events.map((received) => received.event), ['accepted', 'cooking'])
})

t.test('a stream the client leaves lets go of its listener and its gauge', async (t) => {
  const { url, headersOf, hub, metrics } = await listening(t)
  hub.emit(event('1-0', 'placed'))
  await readEventStream(url, headersOf(alice), { done: (events) => events.length >= 1, timeoutMs: 5_000 })
  await until(() => hub.listening() === 0)
  t.equal(hub.listening(), 0)
  t.match(await metrics.metrics(), /^sse_open_streams({[^}]*})? 0$/m)
})

t.test('a replay that fails ends the stream, logged', async (t) => {
  const { url, headersOf, hub, lines } = await listening(t)
  hub.hub.orderEvents = async () => Promise.reject(new Error('connection lost'))
  const { status, events } = await readEventStream(url, headersOf(alice), { done: () => false, timeoutMs: 5_000 })
  t.equal(status, 200)
  t.same(events, [])
  t.ok(lines.some((line) => line.msg === 'event stream replay failed; closing it'))
  await until(() => hub.listening() === 0)
  t.equal(hub.listening(), 0)
})
