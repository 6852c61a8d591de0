/**
 * The order lifecycle as a pure state machine:
 * placed → accepted → cooking → ready, with rejected (from placed or accepted), cancelled (from placed or accepted)
 * and failed (from any non-terminal status, when processing gave up).
 */
export const orderStatuses = ['placed', 'accepted', 'cooking', 'ready', 'rejected', 'cancelled', 'failed'] as const
export type OrderStatus = (typeof orderStatuses)[number]

const transitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  placed: ['accepted', 'rejected', 'cancelled', 'failed'],
  accepted: ['cooking', 'rejected', 'cancelled', 'failed'],
  cooking: ['ready', 'failed'],
  ready: [],
  rejected: [],
  cancelled: [],
  failed: [],
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return transitions[from].includes(to)
}

export function isTerminal(status: OrderStatus): boolean {
  return transitions[status].length === 0
}

/** A customer may cancel while the lifecycle still allows the move to cancelled. */
export function isCancellable(status: OrderStatus): boolean {
  return canTransition(status, 'cancelled')
}

/**
 * How far along the lifecycle a status is. Every transition raises the rank, so a consumer that keeps
 * the highest rank it has seen applies events monotonically whatever order they arrive in.
 */
const ranks: Readonly<Record<OrderStatus, number>> = {
  placed: 0,
  accepted: 1,
  cooking: 2,
  ready: 3,
  rejected: 3,
  cancelled: 3,
  failed: 3,
}

export function statusRank(status: OrderStatus): number {
  return ranks[status]
}
