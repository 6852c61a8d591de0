import { findMenuItem, type MenuItem } from '@restaurant/contracts/menu'
import { canTransition, type OrderStatus } from '@restaurant/contracts/order-status'
import type { KitchenResult, Order, OrderLine } from '@restaurant/contracts/orders'

/** A move the lifecycle forbids: the kitchen only asks for allowed moves, so this is a bug, never a state of the world. */
export class InvalidTransitionError extends Error {
  readonly code = 'INVALID_TRANSITION'
  constructor(from: OrderStatus, to: OrderStatus) {
    super(`An order cannot go from ${from} to ${to}`)
    this.name = 'InvalidTransitionError'
  }
}

export interface TransitionDetails {
  reason?: string
  result?: KitchenResult
}

/** The order after a transition, with the move recorded in its history and its version one higher; refuses moves the lifecycle forbids. */
export function advance(order: Order, to: OrderStatus, at: Date, details: TransitionDetails = {}): Order {
  if (!canTransition(order.status, to)) throw new InvalidTransitionError(order.status, to)
  return { ...order, ...details, status: to, history: [...order.history, { status: to, at: at.toISOString() }], version: order.version + 1 }
}

/**
 * Why the kitchen cannot take the order (`sold out: fries, …`, then any item it cannot tell how to cook), or
 * undefined when it can. A line is cooked as it was ordered, so a dish changed or retired since is no reason.
 */
export function refusalReason(order: Order, menu: readonly MenuItem[]): string | undefined {
  const refused = new Map<string, string[]>()
  for (const line of order.lines) {
    const why = whyUncookable(line, menu)
    if (why) refused.set(why, [...(refused.get(why) ?? []), line.menuItemId])
  }
  if (refused.size === 0) return undefined
  return [...refused].map(([why, ids]) => `${why}: ${ids.join(', ')}`).join('; ')
}

function whyUncookable(line: OrderLine, menu: readonly MenuItem[]): 'sold out' | 'not on the menu' | undefined {
  const item = findMenuItem(menu, line.menuItemId)
  if (item && !item.available) return 'sold out'
  // A line placed before lines kept their preparation time is cooked from the menu: it needs its item there.
  return !item && line.prepSeconds === undefined ? 'not on the menu' : undefined
}
