import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { buildOrder } from '@restaurant/contracts/testing'
import { createGetOrder } from '../../src/use-cases/get-order.js'
import { alice, bob, fakeKitchen, messages, requestFrom, staff, ticketOf } from './fake-ports.js'

const order = buildOrder({ owner: 'alice' })
const witness = { kitchen: 'kitchen-1', startedAt: order.placedAt, endedAt: order.placedAt }
const record = { cookedUnits: [{ ...witness, unit: 0, menuItemId: 'classic-burger' }], cookingAttempts: [witness] }

function getter(known: Order | null = order) {
  const kitchen = fakeKitchen({ ...ticketOf(order), ...record })
  const getOrder = createGetOrder({ findOrder: async (id) => (known && id === known.id ? known : undefined), kitchen: kitchen.kitchen })
  return { getOrder, kitchen }
}

t.test('a customer reads their own order, without the kitchen record', async (t) => {
  t.same(await getter().getOrder(order.id, requestFrom(alice)), order)
})

t.test("another customer's order answers as if it did not exist", async (t) => {
  await t.rejects(getter().getOrder(order.id, requestFrom(bob)), { code: 'ORDER_NOT_FOUND', statusCode: 404 })
  await t.rejects(getter(null).getOrder(order.id, requestFrom(alice)), { code: 'ORDER_NOT_FOUND' })
})

t.test("staff read any order with the kitchen's record of it", async (t) => {
  t.same(await getter().getOrder(order.id, requestFrom(staff)), { ...order, ...record })
})

t.test('staff see the order alone when the kitchen is away, and the absence is logged', async (t) => {
  const { getOrder, kitchen } = getter()
  kitchen.unreachable = true
  const ctx = requestFrom(staff)
  t.same(await getOrder(order.id, ctx), order)
  t.match(messages(ctx.lines, 'kitchen unreachable; the order is shown without its kitchen record'), [{ level: 40, orderId: order.id }])
})
