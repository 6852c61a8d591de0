import type { CancelOrderMessage } from '@restaurant/contracts/messages'
import { isCancellable } from '@restaurant/contracts/order-status'
import { advance } from '../domain/ticket-lifecycle.js'
import type { Announce, Clock, Job, Stations } from './ports.js'
import type { TicketStore } from './ticket-store.js'
import { currentOrder } from './under-claim.js'

export interface CancelOrderDeps {
  store: Pick<TicketStore, 'insertIfAbsent' | 'replaceIfStatus' | 'get'>
  stations: Pick<Stations, 'release'>
  announce: Announce
  clock: Pick<Clock, 'now'>
}

/**
 * The cancel-order consumer: cancels an order still placed or accepted, freeing its stations at once; otherwise
 * says where it stands. A cancellation that comes before its order stores the ticket, so the order is never cooked.
 */
export function cancelOrder({ store, stations, announce, clock }: CancelOrderDeps) {
  return async function cancel({ order }: CancelOrderMessage, job: Job): Promise<void> {
    let current = (await store.insertIfAbsent({ order })).ticket.order
    while (isCancellable(current.status)) {
      const cancelled = advance(current, 'cancelled', new Date(clock.now()))
      if (await store.replaceIfStatus(cancelled, current.status)) {
        stations.release(current.id)
        job.log.info({ orderId: current.id }, 'order cancelled')
        return announce(cancelled, job.correlationId)
      }
      current = await currentOrder(store, current.id)
    }
    job.log.info({ orderId: current.id, status: current.status }, 'cancellation too late; the order goes on')
    return announce(current, job.correlationId)
  }
}
