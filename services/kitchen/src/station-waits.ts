import { isCancellable, isTerminal, type Order } from '@restaurant/contracts'
import type { Booking, CookingUnit, ScheduledUnit } from './cooking.js'
import type { StationClock, Stations } from './stations.js'
import type { TicketStore } from './ticket-store.js'

export interface StationWaitDeps {
  stations: Stations
  store: Pick<TicketStore, 'get'>
  clock: StationClock
  /** Longest an order may wait for its station while its delivery is held. */
  maxWaitMs: number
  /** How often a waiting order looks whether another kitchen ended it meanwhile. */
  checkEveryMs: number
}

/**
 * An order's wait for its stations. Its place in line is the time it was accepted. A cancellation stored by
 * another kitchen cannot wake it as one made here does, so a cancellable order looks at its ticket now and then.
 */
export function createStationWaits({ stations, store, clock, maxWaitMs, checkEveryMs }: StationWaitDeps) {
  /** Its units' plan once the order may start, or undefined when it was released meanwhile. */
  return async function waitForStations(order: Order, units: CookingUnit[], signal: AbortSignal): Promise<ScheduledUnit[] | undefined> {
    const accepted = order.history.find((entry) => entry.status === 'accepted')?.at ?? order.placedAt
    const booking: Booking = { orderId: order.id, priority: Date.parse(accepted), units }
    const done = new AbortController()
    if (isCancellable(order.status)) void releaseWhenEndedElsewhere(order.id, done.signal)
    try {
      return await stations.cook(booking, { maxWaitMs, signal })
    } finally {
      done.abort()
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
