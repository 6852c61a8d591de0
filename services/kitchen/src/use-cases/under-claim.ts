import type { Order } from '@restaurant/contracts/orders'
import { DependencyUnavailableError, HeldElsewhereError } from '@restaurant/platform/runtime/errors'
import type { Claims, FencingMetrics, Hold, Job, Stations } from './ports.js'
import { ClaimTakenOverError, type TicketStore } from './ticket-store.js'

/** The steps that cooking and failing an order share: both move an order only under its claim. */
export interface UnderClaimDeps {
  store: TicketStore
  claims: Claims
  stations: Pick<Stations, 'release' | 'finish'>
  metrics: FencingMetrics
}

/**
 * Takes the order's claim (or throws HeldElsewhereError), runs `work` under it and ends it: completed when
 * `work` committed the order's end. The order's station slots are freed unless it is ready; a dependency that
 * is away keeps them, so that the delivery tries again on the plan it committed.
 */
export async function underClaim(deps: UnderClaimDeps, orderId: string, job: Job, work: (hold: Hold) => Promise<Order | undefined>): Promise<void> {
  // A drain lets the cooking in hand finish; a closed channel stops it, as the broker gives the order to another.
  const hold = await deps.claims.take(orderId, job.channelClosed)
  let ended: Order | undefined
  try {
    ended = await work(hold)
  } catch (err) {
    if (!(err instanceof DependencyUnavailableError)) deps.stations.release(orderId)
    throw err
  } finally {
    await hold.end(ended ? 'completed' : 'abandoned', job.log)
  }
  if (ended?.status === 'ready') deps.stations.finish(orderId)
  else deps.stations.release(orderId)
}

/** A fenced write: a holder whose claim was taken over stops, and its delivery waits for the taker. */
export async function fencedWrite(deps: Pick<UnderClaimDeps, 'store' | 'metrics'>, order: Order, expected: Order['status'], hold: Hold): Promise<boolean> {
  try {
    return await deps.store.replaceIfStatus(order, expected, hold.claim.number)
  } catch (err) {
    if (!(err instanceof ClaimTakenOverError)) throw err
    deps.metrics.fencedWrites.inc()
    throw Object.assign(new HeldElsewhereError(err.message), { retryAfterMs: 0 })
  }
}

/** The order as its ticket stores it now; every use case stored the ticket before it reads it back. */
export async function currentOrder(store: Pick<TicketStore, 'get'>, orderId: string): Promise<Order> {
  const ticket = await store.get(orderId)
  if (!ticket) throw new Error(`the ticket of order ${orderId} is missing`)
  return ticket.order
}
