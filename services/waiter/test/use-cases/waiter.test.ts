import t from 'tap'
import { OrderStatusChangedMessage } from '@restaurant/contracts/messages'
import type { Order } from '@restaurant/contracts/orders'
import { withStatus } from '@restaurant/contracts/testing'
import { memoryAuditLog } from '../../../../shared/platform/test/audit/memory-audit-log.js'
import { createWaiter } from '../../src/use-cases/waiter.js'
import { alice, busWithKitchen, fakeKitchen, fakeMenu, fakeReservations, fakeViews, menuPorts, requestFrom, staff } from './fake-ports.js'

t.test("one order's story through the wired use cases: placed, followed, moved on by the kitchen, too late to cancel", async (t) => {
  const { bus, topology } = await busWithKitchen(t)
  const views = fakeViews()
  const moved: Order[] = []
  const waiter = createWaiter({
    views: views.views,
    reservations: fakeReservations().reservations,
    kitchen: fakeKitchen().kitchen,
    publish: bus.publish,
    ...menuPorts(fakeMenu({ fries: false })),
    audit: memoryAuditLog().audit,
    now: () => new Date(),
    moved: (order) => void moved.push(order),
    orderIdSecret: 'order-id-secret-for-tests',
    maxUnitsPerOrder: 40,
    viewRefreshAfterMs: 5_000,
    viewTtlMs: 604_800_000,
  })
  await bus.consume(topology.queues.waiterStatus, OrderStatusChangedMessage, waiter.applyStatus)
  t.match(waiter.menu.read().items.find((item) => item.id === 'fries'), { available: false })
  const placed = await waiter.placeOrder({ items: [{ menuItemId: 'lemonade', quantity: 1 }] }, 'key-1', requestFrom(alice))
  t.same(await waiter.getOrder(placed.id, requestFrom(alice)), placed)
  const cooking = withStatus(withStatus(placed, 'accepted'), 'cooking')
  await bus.publish('order.status-changed', { order: cooking }, 'corr-1')
  await bus.settled()
  t.same(await waiter.getOrder(placed.id, requestFrom(alice)), cooking)
  await t.rejects(waiter.cancelOrder(placed.id, requestFrom(alice)), { code: 'TOO_LATE_TO_CANCEL' })
  t.same(moved.map((order) => order.status), ['placed', 'cooking'])
  t.match(await waiter.menu.setAvailability('fries', true, requestFrom(staff)), { available: true })
})
