import createError from '@fastify/error'
import type { FastifyBaseLogger } from 'fastify'
import { findMenuItem, isCancellable, isTerminal, routingKeys, seesEveryOrder, type Identity, type KitchenRecord, type ListOrdersQuery, type MenuItem, type Order, type OrderPage, type PlaceOrderBody, type RoutingKey } from '@restaurant/contracts'
import type { MenuAvailability } from '@restaurant/platform/redis/menu-availability'
import type { KitchenClient } from './kitchen-client.js'
import { newOrderId, orderIdFor } from './order-ids.js'
import type { OrderViews } from './order-views.js'
import { checkOrderSize, fingerprintOf, newOrder, priceOrder } from './orders.js'

export const OrderNotFoundError = createError('ORDER_NOT_FOUND', 'No order with id %s', 404)
export const TooLateToCancelError = createError('TOO_LATE_TO_CANCEL', 'The order is %s and can no longer be cancelled', 409)
export const MenuItemNotFoundError = createError('MENU_ITEM_NOT_FOUND', 'No menu item %s', 404)
export const IdempotencyKeyReusedError = createError(
  'IDEMPOTENCY_KEY_REUSED',
  'This Idempotency-Key was already used with a different request body',
  422,
)

export interface WaiterDeps {
  views: OrderViews
  kitchen: KitchenClient
  publish: (routingKey: RoutingKey, message: object, correlationId: string) => Promise<void>
  menu: MenuAvailability
  now: () => Date
  orderIdSecret: string
  /** Units (the sum of the quantities) an order may have in all. */
  maxUnitsPerOrder: number
  /** A non-terminal view unchanged for this long is checked against the kitchen when read. */
  viewRefreshAfterMs: number
  /** Told of every move this waiter makes: each order it places, and each status its view takes on. */
  moved: (order: Order) => void
}

export interface RequestContext {
  requestId: string
  /** Who is asking: idempotency keys are scoped to it, and customers see only the orders they placed. */
  identity: Identity
  log: FastifyBaseLogger
}

// The kitchen's newest orders looked at to learn from when Redis remembers every idempotency key.
const RECENT_ORDERS = 100

/** The waiter's use cases: take orders, show them, cancel them, and keep the view in step with the kitchen. */
export function createWaiter(deps: WaiterDeps) {
  const { views, kitchen } = deps

  /** The view is a cache: when Redis fails, the waiter carries on without it. */
  async function withoutFailing<T>(what: string, action: () => Promise<T>, ctx: RequestContext): Promise<T | undefined> {
    try {
      return await action()
    } catch (err) {
      ctx.log.warn({ err }, `order view unavailable (${what}); using the kitchen's record`)
      return undefined
    }
  }

  async function placeOrder(body: PlaceOrderBody, idempotencyKey: string | undefined, ctx: RequestContext): Promise<Order> {
    checkOrderSize(body, deps.maxUnitsPerOrder)
    const priced = priceOrder(body, await deps.menu.current())
    const fingerprint = fingerprintOf(body)
    const { subject } = ctx.identity
    const id = idempotencyKey ? orderIdFor(deps.orderIdSecret, subject, idempotencyKey) : newOrderId()
    const earlier = idempotencyKey ? await findEarlier(id, fingerprint, ctx) : undefined
    if (earlier) return earlier
    const order = newOrder(id, body, priced, subject, deps.now())
    await deps.publish(routingKeys.orderPlaced, { order, fingerprint }, ctx.requestId)
    deps.moved(order)
    await withoutFailing('write', () => views.apply(order, ctx.requestId), ctx)
    ctx.log.info({ orderId: id, totalCents: order.totalCents }, 'order placed')
    return order
  }

  /** The order an earlier request with the same key placed; a different body under the same key is refused. */
  async function findEarlier(id: string, fingerprint: string, ctx: RequestContext): Promise<Order | undefined> {
    const claim = await withoutFailing('claim key', () => views.claimKey(id, fingerprint), ctx)
    if (claim?.earlier !== undefined && claim.earlier !== fingerprint) throw new IdempotencyKeyReusedError()
    // A key first claimed now, while Redis remembers every claim that could be retried, has placed nothing.
    if (claim?.earlier === undefined && claim?.memory === 'complete') return undefined
    if (claim?.memory === 'unknown') learnWhatRedisRemembers(ctx)
    const view = await withoutFailing('read', () => views.get(id), ctx)
    if (view) return view
    // Redis may have forgotten the key: the kitchen's record is the one that cannot forget.
    const ticket = await kitchen.getTicket(id, ctx.requestId).catch((err: unknown) => {
      ctx.log.warn({ err }, 'kitchen unreachable; placing the order again (the kitchen collapses duplicates)')
      return undefined
    })
    if (ticket?.fingerprint !== undefined && ticket.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError()
    return ticket?.order
  }

  let learning: Promise<void> | undefined
  /**
   * Tells Redis, once, how far back its memory of claims can be doubted (see OrderViews.rememberSince): by
   * the newest order the kitchen holds that was placed before Redis was found not to know. A full page of
   * later orders hides the earlier ones, so then it doubts as if one had been placed just now.
   */
  function learnWhatRedisRemembers(ctx: RequestContext): void {
    const noticedAt = deps.now()
    learning ??= kitchen
      .listOrders({ limit: RECENT_ORDERS }, ctx.requestId)
      .then(({ orders }) => {
        const before = orders.find((order) => Date.parse(order.placedAt) < noticedAt.getTime())
        return views.rememberSince(before?.placedAt ?? (orders.length === RECENT_ORDERS ? noticedAt.toISOString() : undefined))
      })
      .catch((err: unknown) => ctx.log.warn({ err }, 'could not learn what Redis remembers; asking the kitchen about new keys meanwhile'))
      .finally(() => (learning = undefined))
  }

  /**
   * Another customer's order answers as if it did not exist: its id tells nothing. Staff also see what the
   * kitchens did for it (the witness of its units and its cooking attempts), read from the kitchen.
   */
  async function getOrder(id: string, ctx: RequestContext): Promise<Order & Partial<KitchenRecord>> {
    const order = await findOrder(id, ctx)
    if (!order || !(seesEveryOrder(ctx.identity) || order.owner === ctx.identity.subject)) throw new OrderNotFoundError(id)
    if (!seesEveryOrder(ctx.identity)) return order
    // The order itself does not wait for the kitchen: without it, staff see the order alone.
    const ticket = await kitchen.getTicket(id, ctx.requestId).catch((err: unknown) => void ctx.log.warn({ err }, 'kitchen unreachable; the order is shown without its kitchen record'))
    return ticket ? { ...order, cookedUnits: ticket.cookedUnits, cookingAttempts: ticket.cookingAttempts } : order
  }

  async function findOrder(id: string, ctx: RequestContext): Promise<Order | undefined> {
    const view = await withoutFailing('read', () => views.get(id), ctx)
    if (view) return isStale(view) ? refreshed(view, ctx) : view
    const ticket = await kitchen.getTicket(id, ctx.requestId)
    if (ticket) await withoutFailing('refill', () => views.apply(ticket.order), ctx)
    return ticket?.order
  }

  /** An open order whose view has not moved for a while may have missed a status event: worth a look at the kitchen. */
  function isStale(view: Order): boolean {
    const lastMove = Date.parse(view.history.at(-1)?.at ?? view.placedAt)
    return !isTerminal(view.status) && deps.now().getTime() - lastMove > deps.viewRefreshAfterMs
  }

  /**
   * The kitchen's record when it is newer than the view, which then catches up (announcing the statuses it
   * missed); one waiter looks per order and period. The view as it is when the kitchen cannot say.
   */
  async function refreshed(view: Order, ctx: RequestContext): Promise<Order> {
    if (!(await withoutFailing('claim refresh', () => views.claimRefresh(view.id, deps.viewRefreshAfterMs), ctx))) return view
    const ticket = await kitchen.getTicket(view.id, ctx.requestId).catch((err: unknown) => {
      ctx.log.warn({ err, orderId: view.id }, 'kitchen unreachable; showing the order view as it is')
      return undefined
    })
    if (!ticket || ticket.order.version <= view.version) return view
    ctx.log.info({ orderId: view.id, from: view.status, to: ticket.order.status }, 'order view caught up with the kitchen')
    await withoutFailing('refresh', () => views.apply(ticket.order, ctx.requestId), ctx)
    return ticket.order
  }

  async function listOrders(query: ListOrdersQuery, ctx: RequestContext): Promise<OrderPage> {
    const owner = seesEveryOrder(ctx.identity) ? {} : { owner: ctx.identity.subject }
    return kitchen.listOrders({ ...query, ...owner }, ctx.requestId)
  }

  async function cancelOrder(id: string, ctx: RequestContext): Promise<Order> {
    const order = await getOrder(id, ctx)
    if (!isCancellable(order.status)) throw Object.assign(new TooLateToCancelError(order.status), { currentStatus: order.status })
    await deps.publish(routingKeys.cancelOrder, { order }, ctx.requestId)
    ctx.log.info({ orderId: id }, 'cancellation requested')
    return order
  }

  /** Marks an item sold out or back; the kitchen rejects queued orders for a sold-out item. */
  async function setAvailability(menuItemId: string, available: boolean, ctx: RequestContext): Promise<MenuItem> {
    const item = findMenuItem(await deps.menu.current(), menuItemId)
    if (!item) throw new MenuItemNotFoundError(menuItemId)
    await deps.menu.setAvailable(menuItemId, available)
    ctx.log.info({ menuItemId, available, by: ctx.identity.subject }, available ? 'menu item back' : 'menu item sold out')
    return { ...item, available }
  }

  /**
   * Applies the kitchen's state; throws when Redis is down so the event is retried, not lost. A repeat or
   * a late, older status changes nothing.
   */
  async function applyStatus({ order }: { order: Order }, { correlationId }: { correlationId: string }): Promise<void> {
    if (await views.apply(order, correlationId)) deps.moved(order)
  }

  return { placeOrder, getOrder, cancelOrder, listOrders, setAvailability, menu: deps.menu.current, applyStatus }
}

export type Waiter = ReturnType<typeof createWaiter>
