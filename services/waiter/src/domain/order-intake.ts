import createError from '@fastify/error'
import { findMenuItem, whyUnorderable, type Menu, type MenuItem } from '@restaurant/contracts/menu'
import type { Order, OrderItemInput, OrderLine, PlaceOrderBody } from '@restaurant/contracts/orders'
import type { InvalidParam } from '@restaurant/contracts/problem'
import { chooseOptions, type Choice } from './menu-options.js'

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
  menuVersion: number
}

/**
 * Prices every line from the menu, its options included; refuses unknown or sold-out items and options that break
 * their groups' rules, naming each offending field. Each line keeps what the kitchen needs to cook it.
 */
export function priceOrder(body: PlaceOrderBody, { version, items: menu }: Menu): PricedOrder {
  const invalidParams: InvalidParam[] = []
  const lines = body.items.map((input, index): OrderLine | undefined => {
    const item = findMenuItem(menu, input.menuItemId)
    const why = whyUnorderable(menu, input.menuItemId)
    if (why || !item) {
      invalidParams.push({ in: 'body', name: `/items/${index}/menuItemId`, reason: `${input.menuItemId} is ${why}` })
      return undefined
    }
    const choice = chooseOptions(item, input.options ?? [], `/items/${index}/options`)
    invalidParams.push(...choice.problems)
    return choice.problems.length > 0 ? undefined : lineOf(item, input, choice)
  })
  if (invalidParams.length > 0) throw Object.assign(new UnorderableItemsError(), { invalidParams })
  const priced = lines.filter((line): line is OrderLine => line !== undefined)
  return { lines: priced, totalCents: priced.reduce((sum, line) => sum + line.lineTotalCents, 0), menuVersion: version }
}

function lineOf(item: MenuItem, input: OrderItemInput, choice: Choice): OrderLine {
  const unitPriceCents = item.priceCents + choice.priceDeltaCents
  return {
    menuItemId: item.id,
    name: item.name,
    station: item.station,
    quantity: input.quantity,
    ...(choice.options.length > 0 ? { options: choice.options } : {}),
    unitPriceCents,
    lineTotalCents: unitPriceCents * input.quantity,
    prepSeconds: item.prepSeconds + choice.prepSecondsDelta,
    ...(input.notes === undefined ? {} : { notes: input.notes }),
  }
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
