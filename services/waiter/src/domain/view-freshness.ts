import { isTerminal } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'

/**
 * An open order whose view has not moved for `refreshAfterMs` may have missed a status event: worth a
 * look at the kitchen. A finished order's view is final.
 */
export function isStale(view: Order, now: Date, refreshAfterMs: number): boolean {
  const lastMove = Date.parse(view.history.at(-1)?.at ?? view.placedAt)
  return !isTerminal(view.status) && now.getTime() - lastMove > refreshAfterMs
}
