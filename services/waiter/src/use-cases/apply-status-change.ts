import type { Order } from '@restaurant/contracts/orders'
import type { OrderMoved, OrderViews } from './ports.js'

export interface ApplyStatusChangeDeps {
  views: Pick<OrderViews, 'apply'>
  moved: OrderMoved
}

/**
 * Applies the kitchen's status event to the view. It throws when Redis is down, so that the event is
 * retried, not lost; a repeat or a late, older status changes nothing.
 */
export function createApplyStatusChange({ views, moved }: ApplyStatusChangeDeps) {
  return async function applyStatus({ order }: { order: Order }, { correlationId }: { correlationId: string }): Promise<void> {
    if (await views.apply(order, correlationId)) moved(order)
  }
}
