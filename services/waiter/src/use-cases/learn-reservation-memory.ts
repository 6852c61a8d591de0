import { newestPlacedBefore } from '../domain/idempotency.js'
import type { Clock, KitchenRecords, RequestContext, Reservations } from './ports.js'

// The kitchen's newest orders looked at to learn from when Redis remembers every reservation.
const RECENT_ORDERS = 100

export interface LearnReservationMemoryDeps {
  kitchen: Pick<KitchenRecords, 'listOrders'>
  reservations: Pick<Reservations, 'rememberSince'>
  now: Clock
}

/**
 * Tells Redis how far back its memory of reservations can be doubted: by the newest order the kitchen
 * holds that was placed before Redis was found not to know (new, emptied, or a master promoted by a failover).
 * One lesson at a time per waiter; a failed one is logged, and the next request that finds Redis not knowing
 * tries again.
 */
export function createLearnReservationMemory({ kitchen, reservations, now }: LearnReservationMemoryDeps) {
  let learning: Promise<void> | undefined
  return function learnReservationMemory(ctx: RequestContext): Promise<void> {
    const noticedAt = now()
    learning ??= kitchen
      .listOrders({ limit: RECENT_ORDERS }, ctx.requestId)
      .then(({ orders }) => reservations.rememberSince(newestPlacedBefore(orders, noticedAt, RECENT_ORDERS)))
      .catch((err: unknown) => ctx.log.warn({ err }, 'could not learn what Redis remembers; asking the kitchen about new keys meanwhile'))
      .finally(() => (learning = undefined))
    return learning
  }
}
