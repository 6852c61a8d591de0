import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { Registry } from 'prom-client'
import { menu, stationCapacity, type MenuItem } from '@restaurant/contracts/menu'
import { CancelOrderMessage, OrderPlacedMessage, routingKeys, topologyFor } from '@restaurant/contracts/messages'
import type { Order } from '@restaurant/contracts/orders'
import { buildOrder } from '@restaurant/contracts/testing'
import { createMemoryBus } from '@restaurant/platform/messaging/memory-bus'
import { DependencyUnavailableError } from '@restaurant/platform/runtime/errors'
import { createKitchenMetrics } from '../src/adapters/kitchen-metrics.js'
import { createStations } from '../src/adapters/stations.js'
import { createKitchen } from '../src/kitchen.js'
import type { Clock } from '../src/use-cases/ports.js'
import type { TicketStore } from '../src/use-cases/ticket-store.js'
import { temporaryStore } from './support/kitchen-harness.js'
import { captureLogs } from './support/log-capture.js'

const clock: Clock = { now: Date.now, sleep: (ms, signal) => sleep(Math.max(0, ms), undefined, { signal }) }

interface Options {
  menu?: () => Promise<readonly MenuItem[]>
  store?: (store: TicketStore) => TicketStore
}

/** The kitchen wired as the service wires it, its consumers on an in-memory bus whose waits last a thousandth. */
async function kitchenOnBus(t: Test, options: Options = {}) {
  const topology = topologyFor('test')
  const { log, logs } = captureLogs()
  const bus = createMemoryBus({ topology, log, timeScale: 0.001 })
  t.teardown(() => bus.close())
  const store = await temporaryStore(t)
  const kitchen = createKitchen({
    store: options.store?.(store) ?? store,
    announce: (order, correlationId) => bus.publish(routingKeys.orderStatusChanged, { order }, correlationId),
    menu: options.menu ?? (async () => menu),
    stations: createStations(stationCapacity, clock),
    speedFactor: 0,
    maxStationWaitMs: 60_000,
    kitchen: 'kitchen-1',
    leaseMs: 10_000,
    clock,
    metrics: createKitchenMetrics(new Registry()),
  })
  t.teardown(kitchen.close)
  await bus.consume(topology.queues.kitchenOrders, OrderPlacedMessage, kitchen.prepare, { onGiveUp: kitchen.fail })
  await bus.consume(topology.queues.kitchenCancellations, CancelOrderMessage, kitchen.cancel)
  const place = (order: Order) => bus.publish(routingKeys.orderPlaced, { order, fingerprint: 'fp' }, `placing ${order.id}`)
  const statusesOf = (order: Order) => bus.published(routingKeys.orderStatusChanged).flatMap(({ message }) => ((message as { order: Order }).order.id === order.id ? [(message as { order: Order }).order.status] : []))
  return { bus, store, logs, place, statusesOf, queue: topology.queues.kitchenOrders.queue }
}

t.test('an order placed on the bus is cooked, each status published with its correlation id, and its delivery acked', async (t) => {
  const { bus, store, logs, place, statusesOf, queue } = await kitchenOnBus(t)
  const order = buildOrder()
  await place(order)
  await bus.settled()
  t.same(statusesOf(order), ['accepted', 'cooking', 'ready'])
  t.same(new Set(bus.published(routingKeys.orderStatusChanged).map((published) => published.correlationId)), new Set([`placing ${order.id}`]))
  t.equal((await store.get(order.id))?.order.status, 'ready')
  t.same([bus.depth(queue), bus.deadLetters(queue).length], [0, 0], 'acked: nothing left on the queue, nothing dead')
  t.match(logs.filter((line) => line.msg === 'order status changed'), [{ orderId: order.id, status: 'accepted', reqId: `placing ${order.id}` }, { status: 'cooking' }, { status: 'ready' }])
})

t.test('an order placed twice is cooked once; the second delivery publishes where it stands', async (t) => {
  const { bus, store, place, statusesOf } = await kitchenOnBus(t)
  const order = buildOrder()
  await place(order)
  await bus.settled()
  await place(order)
  await bus.settled()
  t.same(statusesOf(order), ['accepted', 'cooking', 'ready', 'ready'])
  t.equal((await store.cookedUnits(order.id)).filter((unit) => unit.endedAt).length, 1)
})

t.test('a cancellation that reaches the kitchen before its order cancels it, and the order is never cooked', async (t) => {
  const { bus, store, place, statusesOf } = await kitchenOnBus(t)
  const order = buildOrder()
  await bus.publish(routingKeys.cancelOrder, { order }, 'cancelling')
  await bus.settled()
  await place(order)
  await bus.settled()
  t.same(statusesOf(order), ['cancelled', 'cancelled'])
  t.same(await store.cookedUnits(order.id), [])
})

t.test('an order that fails every try goes through the retry tiers, is stored and published as failed, then dead-lettered', async (t) => {
  const { bus, store, place, statusesOf, queue } = await kitchenOnBus(t, { menu: () => Promise.reject(new Error('the menu is broken')) })
  const order = buildOrder()
  await place(order)
  await bus.settled()
  t.equal(statusesOf(order).at(-1), 'failed')
  t.match(await store.get(order.id), { order: { status: 'failed', reason: 'the kitchen could not process the order' } })
  t.match(bus.deadLetters(queue), [{ message: { order: { id: order.id } } }])
})

t.test('a store out of reach makes the delivery wait rather than fail; once it is back the order is cooked', async (t) => {
  let refusals = 2
  const { bus, store, place, statusesOf, queue } = await kitchenOnBus(t, {
    store: (real) => ({ ...real, insertIfAbsent: (ticket) => (refusals-- > 0 ? Promise.reject(new DependencyUnavailableError('the ticket store')) : real.insertIfAbsent(ticket)) }),
  })
  const order = buildOrder()
  await place(order)
  await bus.settled()
  t.equal(refusals, -1, 'tried a third time')
  t.same(statusesOf(order), ['accepted', 'cooking', 'ready'])
  t.equal((await store.get(order.id))?.order.status, 'ready')
  t.same(bus.deadLetters(queue), [])
})
