import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { buildOrder } from '@restaurant/contracts/testing'
import type { ListQuery } from '../../src/use-cases/ticket-store.js'
import { listTickets } from '../../src/use-cases/list-tickets.js'

/** A store that answers every list with the first `limit` of `orders`, recording the queries it was asked. */
function storeOf(orders: Order[]) {
  const queries: ListQuery[] = []
  return { queries, list: async (query: ListQuery) => (queries.push(query), orders.slice(0, query.limit)) }
}

t.test('a full page says where the next one starts: at its last order', async (t) => {
  const orders = [buildOrder(), buildOrder(), buildOrder()]
  const store = storeOf(orders)
  const page = await listTickets(store, { limit: 2, status: 'placed', owner: 'alice' })
  t.same(page.orders, orders.slice(0, 2))
  t.same(page.next, { placedAt: orders[1]?.placedAt, id: orders[1]?.id })
  t.same(store.queries, [{ limit: 3, status: 'placed', owner: 'alice' }], 'one more is read than shown, with the filters as asked')
})

t.test('the last page has no next', async (t) => {
  const orders = [buildOrder(), buildOrder()]
  t.strictSame(await listTickets(storeOf(orders), { limit: 2 }), { orders })
  t.strictSame(await listTickets(storeOf([]), { limit: 2 }), { orders: [] })
})

t.test('a page after a cursor reads after it', async (t) => {
  const store = storeOf([])
  const after = { placedAt: '2024-01-01T00:00:00.000Z', id: 'x' }
  await listTickets(store, { limit: 5, after })
  t.same(store.queries, [{ limit: 6, after }])
})
