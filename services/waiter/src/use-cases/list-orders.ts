import type { ListOrdersQuery, OrderPage } from '@restaurant/contracts/orders'
import { listedOwner } from '../domain/order-visibility.js'
import type { KitchenRecords, RequestContext } from './ports.js'

/** A page of orders from the kitchen's records: a customer's own, or every order for staff. */
export function createListOrders({ kitchen }: { kitchen: Pick<KitchenRecords, 'listOrders'> }) {
  return async function listOrders(query: ListOrdersQuery, ctx: RequestContext): Promise<OrderPage> {
    return kitchen.listOrders({ ...query, ...listedOwner(ctx.identity) }, ctx.requestId)
  }
}
