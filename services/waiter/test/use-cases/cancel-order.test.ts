import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { memoryAuditLog } from '../../../../shared/platform/test/audit/memory-audit-log.js'
import { createCancelOrder } from '../../src/use-cases/cancel-order.js'
import { OrderNotFoundError } from '../../src/use-cases/get-order.js'
import { alice, busWithKitchen, messages, requestFrom, staff } from './fake-ports.js'

async function canceller(t: Parameters<typeof busWithKitchen>[0], order: Order) {
  const { bus, received } = await busWithKitchen(t)
  const getOrder = async (id: string) => {
    if (id !== order.id) throw new OrderNotFoundError(id)
    return order
  }
  const log = memoryAuditLog()
  return { cancelOrder: createCancelOrder({ getOrder, publish: bus.publish, audit: log.audit }), bus, received, log }
}

t.test('an order still early enough is sent to the kitchen to cancel, answered as it was, and logged', async (t) => {
  const accepted = withStatus(buildOrder({ owner: 'alice' }), 'accepted')
  const { cancelOrder, bus, received } = await canceller(t, accepted)
  const ctx = requestFrom(alice)
  t.same(await cancelOrder(accepted.id, ctx), accepted)
  t.same(bus.published('order.cancel'), [{ routingKey: 'order.cancel', message: { order: accepted }, correlationId: 'req-1' }])
  await bus.settled()
  t.same(received.cancellations, [{ order: accepted }])
  t.match(messages(ctx.lines, 'cancellation requested'), [{ orderId: accepted.id }])
})

t.test('an order being cooked is too late to cancel, says where it is, and nothing is sent', async (t) => {
  const cooking = withStatus(withStatus(buildOrder({ owner: 'alice' }), 'accepted'), 'cooking')
  const { cancelOrder, bus } = await canceller(t, cooking)
  await t.rejects(cancelOrder(cooking.id, requestFrom(alice)), { code: 'TOO_LATE_TO_CANCEL', statusCode: 409, currentStatus: 'cooking' })
  t.same(bus.published(), [])
})

t.test('an order the caller may not see is not found, and nothing is sent', async (t) => {
  const { cancelOrder, bus } = await canceller(t, buildOrder())
  await t.rejects(cancelOrder('another-id', requestFrom(alice)), { code: 'ORDER_NOT_FOUND' })
  t.same(bus.published(), [])
})

t.test("staff cancelling an order is recorded first; a customer's cancel of their own is not a staff action", async (t) => {
  const placed = buildOrder({ owner: 'alice' })
  const { cancelOrder, log } = await canceller(t, placed)
  await cancelOrder(placed.id, requestFrom(alice, 'req-own'))
  await cancelOrder(placed.id, requestFrom(staff, 'req-staff'))
  t.match(log.records, [{ action: 'order.cancelled-by-staff', target: placed.id, actor: staff, requestId: 'req-staff', detail: { status: 'placed' } }])
  t.equal(log.records.length, 1)
})

t.test('a staff cancel whose record cannot be written is refused with 503, and nothing is sent', async (t) => {
  const placed = buildOrder({ owner: 'alice' })
  const { cancelOrder, bus, log } = await canceller(t, placed)
  log.down = true
  await t.rejects(cancelOrder(placed.id, requestFrom(staff)), { code: 'AUDIT_UNAVAILABLE', statusCode: 503 })
  t.same(bus.published(), [])
})
