import createError from '@fastify/error'
import type { TicketView } from '@restaurant/contracts/kitchen-api'
import { routingKeys } from '@restaurant/contracts/messages'
import type { Order, PlaceOrderBody } from '@restaurant/contracts/orders'
import { decide, fingerprintOf, type Evidence } from '../domain/idempotency.js'
import { newOrderId, orderIdFor } from '../domain/order-ids.js'
import { checkOrderSize, newOrder, priceOrder } from '../domain/order-intake.js'
import type { Clock, KitchenRecords, MenuCopy, OrderMoved, OrderViews, Publish, RequestContext, Reservations } from './ports.js'
import { withoutFailing } from './without-failing.js'

export const IdempotencyKeyReusedError = createError(
  'IDEMPOTENCY_KEY_REUSED',
  'This Idempotency-Key was already used with a different request body',
  422,
)

export interface PlaceOrderDeps {
  views: Pick<OrderViews, 'get' | 'apply'>
  reservations: Pick<Reservations, 'reserve'>
  kitchen: Pick<KitchenRecords, 'getTicket'>
  publish: Publish
  menu: Pick<MenuCopy, 'current'>
  now: Clock
  moved: OrderMoved
  /** Started, not awaited, when Redis has not been told how far its memory of reservations reaches. */
  learnReservationMemory: (ctx: RequestContext) => Promise<void>
  orderIdSecret: string
  /** Units (the sum of the quantities) an order may have in all. */
  maxUnitsPerOrder: number
}

/** Takes an order: checks and prices it, answers a retried key with its earlier order, announces a new one. */
export function createPlaceOrder(deps: PlaceOrderDeps) {
  return async function placeOrder(body: PlaceOrderBody, idempotencyKey: string | undefined, ctx: RequestContext): Promise<Order> {
    checkOrderSize(body, deps.maxUnitsPerOrder)
    const priced = priceOrder(body, deps.menu.current())
    const fingerprint = fingerprintOf(body)
    const { subject } = ctx.identity
    const id = idempotencyKey ? orderIdFor(deps.orderIdSecret, subject, idempotencyKey) : newOrderId()
    const earlier = idempotencyKey ? await earlierOrder(deps, id, fingerprint, ctx) : undefined
    if (earlier) return earlier
    const order = newOrder(id, body, priced, subject, deps.now())
    await deps.publish(routingKeys.orderPlaced, { order, fingerprint }, ctx.requestId)
    deps.moved(order)
    await withoutFailing('write', () => deps.views.apply(order, ctx.requestId), ctx)
    ctx.log.info({ orderId: id, totalCents: order.totalCents }, 'order placed')
    return order
  }
}

/** The order an earlier request with the same key placed; a different body under the same key is refused. */
async function earlierOrder(deps: PlaceOrderDeps, id: string, fingerprint: string, ctx: RequestContext): Promise<Order | undefined> {
  const reservation = await withoutFailing('reserve key', () => deps.reservations.reserve(id, fingerprint), ctx)
  if (reservation?.memory === 'unknown') void deps.learnReservationMemory(ctx)
  return settle(deps, { fingerprint, reservation }, id, ctx)
}

/** Follows the idempotency decision, looking at the view and then the kitchen only when it asks to. */
async function settle(deps: PlaceOrderDeps, evidence: Evidence, id: string, ctx: RequestContext): Promise<Order | undefined> {
  const decision = decide(evidence)
  switch (decision.kind) {
    case 'refuse':
      throw new IdempotencyKeyReusedError()
    case 'reuse':
      return decision.order
    case 'place':
      return undefined
    case 'look': {
      const seen = decision.at === 'view' ? { view: await readView(deps, id, ctx) } : { ticket: await readTicket(deps, id, ctx) }
      return settle(deps, { ...evidence, ...seen }, id, ctx)
    }
  }
}

async function readView({ views }: PlaceOrderDeps, id: string, ctx: RequestContext): Promise<Order | null> {
  return (await withoutFailing('read', () => views.get(id), ctx)) ?? null
}

async function readTicket({ kitchen }: PlaceOrderDeps, id: string, ctx: RequestContext): Promise<TicketView | null> {
  const ticket = await kitchen.getTicket(id, ctx.requestId).catch((err: unknown) => {
    ctx.log.warn({ err, orderId: id }, 'kitchen unreachable; placing the order again (the kitchen collapses duplicates)')
    return undefined
  })
  return ticket ?? null
}
