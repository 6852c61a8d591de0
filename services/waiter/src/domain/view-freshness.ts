import { isTerminal } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'

/**
 * An open order whose view has not moved for `refreshAfterMs` may have missed a status event: worth a
 * look at the kitchen. A finished order's view is final.
 */
export function isStale(view: Order, now: Date, refreshAfterMs: number): boolean {
  return !isTerminal(view.status) && now.getTime() - lastMoveOf(view) > refreshAfterMs
}

/**
 * Whether a view missing from Redis was lost (a failover, a restart without its data) rather than expired: it
 * would still be there, since a view lives `viewTtlMs` after the order's last move. A lost view took with it the
 * events of the statuses it held, so its refill announces them; an expired one's were announced long ago.
 */
export function wasLost(order: Order, now: Date, viewTtlMs: number): boolean {
  return now.getTime() - lastMoveOf(order) < viewTtlMs
}

function lastMoveOf(order: Order): number {
  return Date.parse(order.history.at(-1)?.at ?? order.placedAt)
}
