import { canTransition, findMenuItem, type KitchenResult, type MenuItem, type Order, type OrderStatus } from '@restaurant/contracts'
import createError from '@fastify/error'

export const InvalidTransitionError = createError('INVALID_TRANSITION', 'An order cannot go from %s to %s', 409)

export interface TransitionDetails {
  reason?: string
  result?: KitchenResult
}

/** The order after a transition, with the move recorded in its history and its version one higher; refuses moves the lifecycle forbids. */
export function advance(order: Order, to: OrderStatus, at: Date, details: TransitionDetails = {}): Order {
  if (!canTransition(order.status, to)) throw new InvalidTransitionError(order.status, to)
  return { ...order, ...details, status: to, history: [...order.history, { status: to, at: at.toISOString() }], version: order.version + 1 }
}

/** Why the kitchen cannot take the order (an item sold out or off the menu), or undefined when it can. */
export function refusalReason(order: Order, menu: readonly MenuItem[]): string | undefined {
  const missing = order.lines.filter((line) => !findMenuItem(menu, line.menuItemId)?.available)
  if (missing.length === 0) return undefined
  return `sold out: ${missing.map((line) => line.menuItemId).join(', ')}`
}
