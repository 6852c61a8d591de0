import createError from '@fastify/error'
import { routingKeys } from '@restaurant/contracts/messages'
import { isCancellable } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'
import { seesEveryOrder } from '@restaurant/contracts/public-routes'
import { recordThen, type AuditLog } from '@restaurant/platform/audit/audit-log'
import type { Publish, RequestContext } from './ports.js'

export const TooLateToCancelError = createError('TOO_LATE_TO_CANCEL', 'The order is %s and can no longer be cancelled', 409)

export interface CancelOrderDeps {
  /** The order as its caller may see it (get-order): another's order is not found. */
  getOrder: (id: string, ctx: RequestContext) => Promise<Order>
  publish: Publish
  audit: AuditLog
}

/**
 * Asks the kitchen to cancel an order still early enough; the kitchen applies it and announces the status. Staff
 * cancel others' orders: theirs is recorded first. A customer's cancel of their own order is not a staff action.
 */
export function createCancelOrder({ getOrder, publish, audit }: CancelOrderDeps) {
  return async function cancelOrder(id: string, ctx: RequestContext): Promise<Order> {
    const order = await getOrder(id, ctx)
    if (!isCancellable(order.status)) throw Object.assign(new TooLateToCancelError(order.status), { currentStatus: order.status })
    const request = () => publish(routingKeys.cancelOrder, { order }, ctx.requestId)
    await (seesEveryOrder(ctx.identity) ? recordThen(audit, ctx, { action: 'order.cancelled-by-staff', target: id, detail: { status: order.status } }, request) : request())
    ctx.log.info({ orderId: id }, 'cancellation requested')
    return order
  }
}
