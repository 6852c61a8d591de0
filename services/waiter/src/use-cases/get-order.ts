import createError from '@fastify/error'
import type { KitchenRecord } from '@restaurant/contracts/kitchen-api'
import type { Order } from '@restaurant/contracts/orders'
import { seesEveryOrder } from '@restaurant/contracts/public-routes'
import { maySee } from '../domain/order-visibility.js'
import type { KitchenRecords, RequestContext } from './ports.js'

export const OrderNotFoundError = createError('ORDER_NOT_FOUND', 'No order with id %s', 404)

export interface GetOrderDeps {
  findOrder: (id: string, ctx: RequestContext) => Promise<Order | undefined>
  kitchen: Pick<KitchenRecords, 'getTicket'>
}

/**
 * Another customer's order answers as if it did not exist: its id tells nothing. Staff also see what the
 * kitchens did for it (the witness of its units and its cooking attempts), read from the kitchen.
 */
export function createGetOrder({ findOrder, kitchen }: GetOrderDeps) {
  return async function getOrder(id: string, ctx: RequestContext): Promise<Order & Partial<KitchenRecord>> {
    const order = await findOrder(id, ctx)
    if (!order || !maySee(ctx.identity, order)) throw new OrderNotFoundError(id)
    if (!seesEveryOrder(ctx.identity)) return order
    // The order itself does not wait for the kitchen: without it, staff see the order alone.
    const ticket = await kitchen.getTicket(id, ctx.requestId).catch((err: unknown) => {
      ctx.log.warn({ err, orderId: id }, 'kitchen unreachable; the order is shown without its kitchen record')
      return undefined
    })
    return ticket ? { ...order, cookedUnits: ticket.cookedUnits, cookingAttempts: ticket.cookingAttempts } : order
  }
}
