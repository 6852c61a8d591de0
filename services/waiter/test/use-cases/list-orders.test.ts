import t from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { createListOrders } from '../../src/use-cases/list-orders.js'
import { alice, fakeKitchen, requestFrom, staff, ticketOf } from './fake-ports.js'

const mine = buildOrder({ owner: 'alice', placedAt: '2026-01-02T03:00:00.000Z' })
const theirs = buildOrder({ owner: 'bob', placedAt: '2026-01-02T03:00:01.000Z' })

t.test("a customer's list holds only their own orders", async (t) => {
  const kitchen = fakeKitchen(ticketOf(mine), ticketOf(theirs))
  t.same(await createListOrders(kitchen)({ limit: 10 }, requestFrom(alice)), { orders: [mine] })
  t.same(kitchen.listed, [{ limit: 10, owner: 'alice' }])
})

t.test('staff list every order, newest first', async (t) => {
  const kitchen = fakeKitchen(ticketOf(mine), ticketOf(theirs))
  t.same(await createListOrders(kitchen)({ limit: 10, status: 'placed' }, requestFrom(staff)), { orders: [theirs, mine] })
  t.same(kitchen.listed, [{ limit: 10, status: 'placed' }])
})

t.test('a customer cannot widen the list to another owner', async (t) => {
  const kitchen = fakeKitchen(ticketOf(mine), ticketOf(theirs))
  const query = { limit: 10, owner: 'bob' } as Parameters<ReturnType<typeof createListOrders>>[0]
  t.same(await createListOrders(kitchen)(query, requestFrom(alice)), { orders: [mine] })
})
