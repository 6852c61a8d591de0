import { newestPlacedBefore } from '../domain/idempotency.js'
import type { Clock, KitchenRecords, RequestContext, Reservations } from './ports.js'

// The kitchen's newest orders looked at to learn from when Redis remembers every reservation.
const RECENT_ORDERS = 100
// Lessons begun again when Redis changed master during one, before this one gives up.
const ATTEMPTS = 3

export interface LearnReservationMemoryDeps {
  kitchen: Pick<KitchenRecords, 'listOrders'>
  reservations: Pick<Reservations, 'epoch' | 'rememberSince'>
  now: Clock
}

/**
 * Tells Redis how far back its memory of reservations can be doubted: by the newest order the kitchen
 * holds that was placed before Redis was found not to know (new, emptied, or a master promoted by a failover).
 * One lesson at a time per waiter; a failed one is logged, and the next request that finds Redis not knowing
 * tries again. A lesson that a failover interrupted is begun again for the new master.
 */
export function createLearnReservationMemory(deps: LearnReservationMemoryDeps) {
  let learning: Promise<void> | undefined
  return function learnReservationMemory(ctx: RequestContext): Promise<void> {
    learning ??= deps.reservations
      .epoch()
      .then((epoch) => learnIn(epoch, deps, ctx, ATTEMPTS))
      .catch((err: unknown) => ctx.log.warn({ err }, 'could not learn what Redis remembers; asking the kitchen about new keys meanwhile'))
      .finally(() => (learning = undefined))
    return learning
  }
}

// `epoch` was read before `noticedAt`: its master was master by then, so what it may have lost was placed before.
async function learnIn(epoch: string, deps: LearnReservationMemoryDeps, ctx: RequestContext, attempts: number): Promise<void> {
  const noticedAt = deps.now()
  const { orders } = await deps.kitchen.listOrders({ limit: RECENT_ORDERS }, ctx.requestId)
  const epochNow = await deps.reservations.rememberSince(newestPlacedBefore(orders, noticedAt, RECENT_ORDERS), epoch)
  if (epochNow === epoch) return
  if (attempts <= 1) throw new Error('Redis changed master during every lesson')
  await learnIn(epochNow, deps, ctx, attempts - 1)
}
