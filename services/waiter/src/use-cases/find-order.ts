import type { Order } from '@restaurant/contracts/orders'
import { isStale, wasLost } from '../domain/view-freshness.js'
import type { Clock, KitchenRecords, OrderViews, RequestContext } from './ports.js'
import { withoutFailing } from './without-failing.js'

export interface FindOrderDeps {
  views: OrderViews
  kitchen: Pick<KitchenRecords, 'getTicket'>
  now: Clock
  /** A non-terminal view unchanged for this long is checked against the kitchen when read. */
  viewRefreshAfterMs: number
  /** How long a view lives after the order's last move. */
  viewTtlMs: number
}

/**
 * An order as the view holds it, kept in step with the kitchen: a missing view is refilled from the
 * kitchen's record (announcing its statuses when Redis lost them), and a stale one catches up with it.
 */
export function createFindOrder({ views, kitchen, now, viewRefreshAfterMs, viewTtlMs }: FindOrderDeps) {
  async function findOrder(id: string, ctx: RequestContext): Promise<Order | undefined> {
    const view = await withoutFailing('read', () => views.get(id), ctx)
    if (view) return isStale(view, now(), viewRefreshAfterMs) ? refreshed(view, ctx) : view
    const ticket = await kitchen.getTicket(id, ctx.requestId)
    const announcing = ticket && wasLost(ticket.order, now(), viewTtlMs) ? ctx.requestId : undefined
    if (ticket) await withoutFailing('refill', () => views.apply(ticket.order, announcing), ctx)
    return ticket?.order
  }

  /**
   * The kitchen's record when it is newer than the view, which then catches up (announcing the statuses it
   * missed); one waiter looks per order and period. The view as it is when the kitchen cannot say.
   */
  async function refreshed(view: Order, ctx: RequestContext): Promise<Order> {
    if (!(await withoutFailing('take refresh turn', () => views.takeRefreshTurn(view.id, viewRefreshAfterMs), ctx))) return view
    const ticket = await kitchen.getTicket(view.id, ctx.requestId).catch((err: unknown) => {
      ctx.log.warn({ err, orderId: view.id }, 'kitchen unreachable; showing the order view as it is')
      return undefined
    })
    if (!ticket || ticket.order.version <= view.version) return view
    ctx.log.info({ orderId: view.id, from: view.status, to: ticket.order.status }, 'order view caught up with the kitchen')
    await withoutFailing('refresh', () => views.apply(ticket.order, ctx.requestId), ctx)
    return ticket.order
  }

  return findOrder
}
