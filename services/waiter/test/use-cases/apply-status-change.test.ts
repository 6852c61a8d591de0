import t, { type Test } from 'tap'
import { OrderStatusChangedMessage, topologyFor } from '@restaurant/contracts/messages'
import type { Order } from '@restaurant/contracts/orders'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { createMemoryBus } from '@restaurant/platform/messaging/memory-bus'
import { createApplyStatusChange } from '../../src/use-cases/apply-status-change.js'
import { fakeViews } from './fake-ports.js'

/** The waiter's status consumer on the in-memory bus, as service.ts binds it. */
async function consumer(t: Test, ...initial: Order[]) {
  const topology = topologyFor('unit')
  const bus = createMemoryBus({ topology, timeScale: 0.001, retryDelaysMs: [10, 20] })
  t.teardown(() => bus.close())
  const views = fakeViews(...initial)
  const moved: Order[] = []
  const { queue } = topology.queues.waiterStatus
  await bus.consume(topology.queues.waiterStatus, OrderStatusChangedMessage, createApplyStatusChange({ views: views.views, moved: (order) => void moved.push(order) }))
  const announce = (order: Order, correlationId = 'corr-1') => bus.publish('order.status-changed', { order }, correlationId)
  return { bus, queue, views, moved, announce }
}

t.test("a status event moves the view on, announces the status once, and is acked", async (t) => {
  const placed = buildOrder()
  const { bus, queue, views, moved, announce } = await consumer(t, placed)
  const accepted = withStatus(placed, 'accepted')
  await announce(accepted)
  await bus.settled()
  t.same(views.stored.get(placed.id), accepted)
  t.same(views.announced, [{ orderId: placed.id, status: 'accepted', correlationId: 'corr-1' }])
  t.same(moved, [accepted])
  t.equal(bus.depth(queue), 0, 'acked')
  t.same(bus.deadLetters(queue), [])
})

t.test('a repeated or older status changes nothing, and is acked all the same', async (t) => {
  const placed = buildOrder()
  const accepted = withStatus(placed, 'accepted')
  const { bus, queue, views, moved, announce } = await consumer(t, accepted)
  await announce(placed)
  await announce(accepted)
  await bus.settled()
  t.same(views.stored.get(placed.id), accepted)
  t.same(views.announced, [])
  t.same(moved, [])
  t.equal(bus.depth(queue), 0)
  t.same(bus.deadLetters(queue), [])
})

t.test('while Redis is away the event waits, and is applied once it is back: nothing is lost', async (t) => {
  const placed = buildOrder()
  const { bus, queue, views, moved, announce } = await consumer(t, placed)
  views.down = true
  const accepted = withStatus(placed, 'accepted')
  await announce(accepted)
  while (views.refused === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  views.down = false
  await bus.settled()
  t.same(views.stored.get(placed.id), accepted)
  t.same(moved, [accepted])
  t.same(bus.deadLetters(queue), [])
})

t.test('a malformed status event is dead-lettered without touching the view', async (t) => {
  const { bus, queue, views, moved } = await consumer(t)
  bus.publishRaw('order.status-changed', Buffer.from(JSON.stringify({ order: { id: 'not an order' } })), 'corr-1')
  await bus.settled()
  t.match(bus.deadLetters(queue), [{ reason: 'rejected', correlationId: 'corr-1' }])
  t.equal(views.stored.size, 0)
  t.same(moved, [])
})

t.test('an event the view refuses for good is retried, then dead-lettered', async (t) => {
  const placed = buildOrder()
  const { bus, queue, views, moved, announce } = await consumer(t, placed)
  views.broken = true
  await announce(withStatus(placed, 'accepted'))
  await bus.settled()
  t.match(bus.deadLetters(queue), [{ message: { order: { id: placed.id, status: 'accepted' } } }])
  t.same(views.stored.get(placed.id), placed)
  t.same(moved, [])
})
