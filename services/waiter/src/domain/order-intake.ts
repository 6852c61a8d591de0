import createError from '@fastify/error'
import { findMenuItem, whyUnorderable, type MenuItem } from '@restaurant/contracts/menu'
import type { Order, OrderLine, PlaceOrderBody } from '@restaurant/contracts/orders'
import type { InvalidParam } from '@restaurant/contracts/problem'

/**
 * Order intake rules: what may be ordered, what it costs, and what a placed order looks like. A broken
 * rule throws a coded error (@fastify/error: a factory with no dependencies and no I/O) carrying the
 * status and the invalid fields a caller is told.
 */
export const UnorderableItemsError = createError('UNORDERABLE_ITEMS', 'Some items cannot be ordered', 422)
export const OrderTooLargeError = createError('ORDER_TOO_LARGE', 'An order has at most %s units in all', 422)

export interface PricedOrder {
  lines: OrderLine[]
  totalCents: number
}

/** Prices every line from the menu; refuses unknown or sold-out items, naming each offending field. */
export function priceOrder(body: PlaceOrderBody, menu: readonly MenuItem[]): PricedOrder {
  const invalidParams: InvalidParam[] = []
  const lines = body.items.map((input, index): OrderLine | undefined => {
    const item = findMenuItem(menu, input.menuItemId)
    const why = whyUnorderable(menu, input.menuItemId)
    if (why || !item) {
      invalidParams.push({ in: 'body', name: `/items/${index}/menuItemId`, reason: `${input.menuItemId} is ${why}` })
      return undefined
    }
    const line = { menuItemId: item.id, name: item.name, station: item.station, quantity: input.quantity }
    const priced = { ...line, unitPriceCents: item.priceCents, lineTotalCents: item.priceCents * input.quantity }
    return input.notes === undefined ? priced : { ...priced, notes: input.notes }
  })
  if (invalidParams.length > 0) throw Object.assign(new UnorderableItemsError(), { invalidParams })
  const priced = lines.filter((line): line is OrderLine => line !== undefined)
  return { lines: priced, totalCents: priced.reduce((sum, line) => sum + line.lineTotalCents, 0) }
}

/** Refuses an order of more than `maxUnits` units in all: one order must not hold a station for long. */
export function checkOrderSize(body: PlaceOrderBody, maxUnits: number): void {
  const units = body.items.reduce((sum, item) => sum + item.quantity, 0)
  if (units <= maxUnits) return
  const invalidParams: InvalidParam[] = [{ in: 'body', name: '/items', reason: `${units} units in all; at most ${maxUnits}` }]
  throw Object.assign(new OrderTooLargeError(maxUnits), { invalidParams })
}

export function newOrder(id: string, body: PlaceOrderBody, priced: PricedOrder, owner: string, now: Date): Order {
  const placedAt = now.toISOString()
  return {
    id,
    status: 'placed',
    placedAt,
    ...priced,
    owner,
    ...(body.table === undefined ? {} : { table: body.table }),
    ...(body.customer === undefined ? {} : { customer: body.customer }),
    history: [{ status: 'placed', at: placedAt }],
    version: 1,
  }
}
