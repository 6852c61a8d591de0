import { isCancellable, isTerminal } from '@restaurant/contracts/order-status'
import type { Booking } from '../domain/cooking.js'
import type { Clock, Stations, WaitForStations } from '../use-cases/ports.js'
import type { TicketStore } from '../use-cases/ticket-store.js'

export interface StationWaitDeps {
  stations: Stations
  store: Pick<TicketStore, 'get'>
  clock: Clock
  /** Longest an order may wait for its station while its delivery is held. */
  maxWaitMs: number
  /** How often a waiting order looks whether another kitchen ended it meanwhile. */
  checkEveryMs: number
}

// One reason for every order: abort() without one builds a DOMException, stack trace and all, each time.
const WAIT_OVER = new Error('the wait for stations is over')

/**
 * An order's wait for its stations. Its place in line is the time it was accepted. A cancellation stored by
 * another kitchen cannot wake it as one made here does, so a cancellable order looks at its ticket now and then.
 */
export function createStationWaits({ stations, store, clock, maxWaitMs, checkEveryMs }: StationWaitDeps): WaitForStations {
  return async function waitForStations(order, units, signal) {
    const accepted = order.history.find((entry) => entry.status === 'accepted')?.at ?? order.placedAt
    const booking: Booking = { orderId: order.id, priority: Date.parse(accepted), units }
    const done = new AbortController()
    if (isCancellable(order.status)) void releaseWhenEndedElsewhere(order.id, done.signal)
    try {
      return await stations.cook(booking, { maxWaitMs, signal })
    } finally {
      done.abort(WAIT_OVER)
    }
  }

  async function releaseWhenEndedElsewhere(orderId: string, done: AbortSignal): Promise<void> {
    while (!done.aborted) {
      await clock.sleep(checkEveryMs, done).catch(() => undefined)
      if (done.aborted) return
      const ticket = await store.get(orderId).catch(() => undefined)
      if (ticket && isTerminal(ticket.order.status)) return stations.release(orderId)
    }
  }
}
