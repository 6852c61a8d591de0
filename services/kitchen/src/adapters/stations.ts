import type { Station } from '@restaurant/contracts/menu'
import { SetAsideError } from '@restaurant/platform/runtime/errors'
import { finishedAt, planBookings, startsAt, type Booking, type ScheduledUnit } from '../domain/cooking.js'
import type { Clock, Stations } from '../use-cases/ports.js'

interface WaitingOrder {
  booking: Booking
  calls: number
  outcome?: { plan: ScheduledUnit[] | undefined }
}

interface StationsState {
  capacity: Readonly<Record<Station, number>>
  clock: Clock
  waiting: Map<string, WaitingOrder>
  committed: Map<string, ScheduledUnit[]>
  /** The committed plans whose units have not all ended: the busy time of the slots. */
  timeline: Set<ScheduledUnit[]>
  /** The waiting orders' plans, as last made. */
  plans: Map<string, ScheduledUnit[]>
  /** Aborted at every re-plan: it wakes the waits, which look at their new plans. */
  change: AbortController
}

/**
 * The kitchen's stations, shared by every order this process cooks: the schedule's stateful shell, in memory, whose
 * waits sleep on the clock and wake when a release or a commit re-plans the waiting orders.
 */
export function createStations(capacity: Readonly<Record<Station, number>>, clock: Clock): Stations {
  const state: StationsState = { capacity, clock, waiting: new Map(), committed: new Map(), timeline: new Set(), plans: new Map(), change: new AbortController() }
  return {
    cook: (booking, options) => cook(state, booking, options),
    planOf: (orderId) => state.committed.get(orderId),
    release: (orderId) => release(state, orderId),
    finish: (orderId) => void state.committed.delete(orderId),
    waiting: () => state.waiting.size,
  }
}

async function cook(state: StationsState, booking: Booking, { maxWaitMs, signal }: { maxWaitMs: number; signal?: AbortSignal }) {
  const plan = state.committed.get(booking.orderId)
  if (plan) return plan
  signal?.throwIfAborted()
  const order = state.waiting.get(booking.orderId) ?? book(state, booking)
  order.calls += 1
  try {
    return await waitForStart(state, order, maxWaitMs, signal)
  } finally {
    order.calls -= 1
    if (order.calls === 0 && !order.outcome) settle(state, order, undefined)
  }
}

function book(state: StationsState, booking: Booking): WaitingOrder {
  const order = { booking, calls: 0 }
  state.waiting.set(booking.orderId, order)
  try {
    replan(state)
  } catch (error) {
    state.waiting.delete(booking.orderId) // a unit no station here can cook: nothing stays booked
    throw error
  }
  return order
}

function release(state: StationsState, orderId: string): void {
  const order = state.waiting.get(orderId)
  const plan = state.committed.get(orderId)
  state.committed.delete(orderId)
  if (plan) state.timeline.delete(plan)
  if (order) settle(state, order, undefined)
  else if (plan) replan(state)
}

// One reason for every wake: abort() without one builds a DOMException, stack trace and all, each time.
const PLANS_CHANGED = new Error('the station plans changed')

function replan(state: StationsState): void {
  const now = state.clock.now()
  for (const plan of state.timeline) if (finishedAt(plan, now) === now) state.timeline.delete(plan)
  state.plans = planBookings(state.capacity, [...state.timeline].flat(), [...state.waiting.values()].map((order) => order.booking), now)
  state.change.abort(PLANS_CHANGED)
  state.change = new AbortController()
}

function settle(state: StationsState, order: WaitingOrder, plan: ScheduledUnit[] | undefined): ScheduledUnit[] | undefined {
  state.waiting.delete(order.booking.orderId)
  order.outcome = { plan }
  if (plan) {
    state.committed.set(order.booking.orderId, plan)
    state.timeline.add(plan)
  }
  replan(state)
  return plan
}

async function waitForStart(state: StationsState, order: WaitingOrder, maxWaitMs: number, signal?: AbortSignal): Promise<ScheduledUnit[] | undefined> {
  for (;;) {
    if (order.outcome) return order.outcome.plan
    const now = state.clock.now()
    const plan = state.plans.get(order.booking.orderId) ?? []
    const start = startsAt(plan, now)
    if (start - now > maxWaitMs) throw new SetAsideError('no station slot within the wait bound')
    if (start <= now) return settle(state, order, plan)
    const wake = state.change.signal
    try {
      await state.clock.sleep(start - now, signal ? AbortSignal.any([wake, signal]) : wake)
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      if (!wake.aborted) throw error
    }
  }
}
