import type { Order } from '@restaurant/contracts/orders'
import type { ListQuery, TicketStore } from './ticket-store.js'

export interface TicketPage {
  orders: Order[]
  /** Where the next page starts, when there is one: the position of this page's last order. */
  next?: NonNullable<ListQuery['after']>
}

/** One page of the kitchen's orders, newest first; one more is read than shown, to know whether a next page exists. */
export async function listTickets(store: Pick<TicketStore, 'list'>, query: ListQuery): Promise<TicketPage> {
  const orders = await store.list({ ...query, limit: query.limit + 1 })
  const page = orders.slice(0, query.limit)
  const last = page.at(-1)
  return orders.length > query.limit && last ? { orders: page, next: { placedAt: last.placedAt, id: last.id } } : { orders: page }
}
