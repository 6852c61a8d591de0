import type { OrderPlacedMessage } from '@restaurant/contracts/messages'
import { isTerminal } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'
import { advance } from '../domain/ticket-lifecycle.js'
import type { Announce, Clock, Hold, Job } from './ports.js'
import { currentOrder, fencedWrite, underClaim, type UnderClaimDeps } from './under-claim.js'

export interface FailOrderDeps extends UnderClaimDeps {
  announce: Announce
  clock: Pick<Clock, 'now'>
}

const FAILURE_REASON = 'the kitchen could not process the order'

/**
 * Past its last retry an order fails, so that the customer sees it rather than waiting forever. Failing
 * takes the order's claim like cooking does, so it waits for a live holder rather than fail its cooking.
 * Only what is stored is announced: an order that reached another end meanwhile is announced as it stands.
 */
export function failOrder(deps: FailOrderDeps) {
  return async function fail({ order, fingerprint }: OrderPlacedMessage, job: Job): Promise<void> {
    const { ticket } = await deps.store.insertIfAbsent({ order, fingerprint })
    if (isTerminal(ticket.order.status)) return deps.announce(ticket.order, job.correlationId)
    await underClaim(deps, order.id, job, (hold) => failUnder(hold, job))
  }

  /** Writes `failed` unless the order ended meanwhile; resolves with the failure when this claim committed it. */
  async function failUnder(hold: Hold, job: Job): Promise<Order | undefined> {
    let current = await currentOrder(deps.store, hold.claim.orderId)
    while (!isTerminal(current.status)) {
      const failed = advance(current, 'failed', new Date(deps.clock.now()), { reason: FAILURE_REASON })
      if (await fencedWrite(deps, failed, current.status, hold)) {
        await deps.announce(failed, job.correlationId)
        return failed
      }
      current = await currentOrder(deps.store, hold.claim.orderId)
    }
    await deps.announce(current, job.correlationId)
    return undefined
  }
}
