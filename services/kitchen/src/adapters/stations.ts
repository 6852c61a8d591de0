import type { Station } from '@restaurant/contracts'
import { SetAsideError } from '@restaurant/platform/runtime/errors'
import { finishedAt, planBookings, startsAt, type Booking, type ScheduledUnit } from '../domain/cooking.js'
import type { Clock, Stations } from '../use-cases/ports.js'

interface WaitingOrder {
  booking: Booking
  calls: number
  outcome?: { plan: ScheduledUnit[] | undefined }
}

/**
 * The kitchen's stations, shared by every order this process cooks: the schedule's stateful shell, in memory, whose
 * waits sleep on the clock and wake when a release or a commit re-plans the waiting orders.
 */
export function createStations(capacity: Readonly<Record<Station, number>>, clock: Clock): Stations {
  const waiting = new Map<string, WaitingOrder>()
  const committed = new Map<string, ScheduledUnit[]>()
  const timeline = new Set<ScheduledUnit[]>()
  let plans = new Map<string, ScheduledUnit[]>()
  let change = new AbortController()

  function replan() {
    const now = clock.now()
    for (const plan of timeline) if (finishedAt(plan, now) === now) timeline.delete(plan)
    plans = planBookings(capacity, [...timeline].flat(), [...waiting.values()].map((order) => order.booking), now)
    change.abort()
    change = new AbortController()
  }

  function settle(order: WaitingOrder, plan: ScheduledUnit[] | undefined) {
    waiting.delete(order.booking.orderId)
    order.outcome = { plan }
    if (plan) {
      committed.set(order.booking.orderId, plan)
      timeline.add(plan)
    }
    replan()
    return plan
  }

  async function waitForStart(order: WaitingOrder, maxWaitMs: number, signal?: AbortSignal) {
    for (;;) {
      if (order.outcome) return order.outcome.plan
      const now = clock.now()
      const plan = plans.get(order.booking.orderId) ?? []
      const start = startsAt(plan, now)
      if (start - now > maxWaitMs) throw new SetAsideError('no station slot within the wait bound')
      if (start <= now) return settle(order, plan)
      const wake = change.signal
      try {
        await clock.sleep(start - now, signal ? AbortSignal.any([wake, signal]) : wake)
      } catch (error) {
        if (signal?.aborted) throw signal.reason
        if (!wake.aborted) throw error
      }
    }
  }

  return {
    async cook(booking, { maxWaitMs, signal }) {
      const plan = committed.get(booking.orderId)
      if (plan) return plan
      signal?.throwIfAborted()
      let order = waiting.get(booking.orderId)
      if (!order) {
        order = { booking, calls: 0 }
        waiting.set(booking.orderId, order)
        try {
          replan()
        } catch (error) {
          waiting.delete(booking.orderId) // a unit no station here can cook: nothing stays booked
          throw error
        }
      }
      order.calls += 1
      try {
        return await waitForStart(order, maxWaitMs, signal)
      } finally {
        order.calls -= 1
        if (order.calls === 0 && !order.outcome) settle(order, undefined)
      }
    },
    planOf: (orderId) => committed.get(orderId),
    release(orderId) {
      const order = waiting.get(orderId)
      const plan = committed.get(orderId)
      committed.delete(orderId)
      if (plan) timeline.delete(plan)
      if (order) settle(order, undefined)
      else if (plan) replan()
    },
    finish: (orderId) => void committed.delete(orderId),
    waiting: () => waiting.size,
  }
}
