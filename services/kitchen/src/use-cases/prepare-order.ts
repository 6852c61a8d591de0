import type { CookedUnit } from '@restaurant/contracts/kitchen-api'
import type { OrderPlacedMessage } from '@restaurant/contracts/messages'
import { isTerminal } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'
import { finishedUnits } from '../domain/claims.js'
import { resultOf, unitsOf } from '../domain/cooking.js'
import { advance, refusalReason } from '../domain/ticket-lifecycle.js'
import type { Announce, Clock, CookUnits, Hold, Job, ReadMenu, WaitForStations } from './ports.js'
import { currentOrder, fencedWrite, underClaim, type UnderClaimDeps } from './under-claim.js'

export interface PrepareOrderDeps extends UnderClaimDeps {
  announce: Announce
  menu: ReadMenu
  waitForStations: WaitForStations
  cookUnits: CookUnits
  speedFactor: number
  clock: Pick<Clock, 'now'>
}

type AnnounceLater = (order: Order) => void

/**
 * The order.placed consumer. Only a claim decides who cooks an order: a delivery takes the order's claim before
 * it moves the order on, and one that meets another's live claim waits. Every step is a transition of the
 * stored ticket, fenced by the claim, followed by its announcement; every unit cooked is recorded as it cooks
 * (the witness), so an order taken over is finished from where its units stand and no unit is finished twice.
 * The delivery is settled only once every announcement is confirmed; a refused one fails it, and the retry
 * goes on from the stored ticket. An accepted order waits for its stations; it is `cooking` from its first unit.
 */
export function prepareOrder(deps: PrepareOrderDeps) {
  return async function prepare({ order, fingerprint }: OrderPlacedMessage, job: Job): Promise<void> {
    await announcingLater(deps.announce, job, async (announceLater) => {
      const { created, ticket } = await deps.store.insertIfAbsent({ order, fingerprint })
      if (isTerminal(ticket.order.status)) return announceLater(ticket.order)
      await underClaim(deps, order.id, job, (hold) => cook(deps, hold, { job, announceLater, resumed: !created }))
    })
  }
}

/**
 * Moves the order on until it ends; resolves with the end when this claim committed it. A state this delivery
 * did not write is announced when it meets it (the stored state of a resumed order, and the one a lost step leads
 * to): the delivery that stored it may have died before announcing it.
 */
async function cook(deps: PrepareOrderDeps, hold: Hold, { job, announceLater, resumed }: { job: Job; announceLater: AnnounceLater; resumed: boolean }): Promise<Order | undefined> {
  let current = await currentOrder(deps.store, hold.claim.orderId)
  if (resumed) announceLater(current)
  let committed: Order | undefined
  while (!isTerminal(current.status)) {
    hold.check()
    const next = await nextState(deps, current, hold, job)
    if (next && (await fencedWrite(deps, next, current.status, hold))) {
      job.log.info({ orderId: next.id, status: next.status }, 'order status changed')
      announceLater(next)
      current = next
      if (isTerminal(next.status)) committed = next
      continue
    }
    // Released from its station wait, or lost the step (to a cancellation, or to a writer that may be gone).
    current = await currentOrder(deps.store, current.id)
    if (next) announceLater(current)
  }
  return committed
}

/** The order's next state, or undefined when it was released from its station wait. */
async function nextState(deps: PrepareOrderDeps, order: Order, hold: Hold, job: Job): Promise<Order | undefined> {
  if (order.status === 'placed') return acceptedOrRejected(deps, order, 'accepted')
  const units = unitsOf(order, await deps.menu(), deps.speedFactor)
  if (order.status === 'accepted') {
    const plan = await deps.waitForStations(order, units, untilDrained(hold, job))
    // An item may have sold out while the order queued for its station.
    return plan && acceptedOrRejected(deps, order, 'cooking')
  }
  // Only a claim that took an order over can find units cooked before it.
  const finished = finishedUnits(hold.claim.number > 1 ? await cookedBefore(deps, order.id, hold.claim.number, units.length) : [])
  const plan = await deps.waitForStations(order, units.filter((unit) => !finished.has(unit.unit)), untilDrained(hold, job))
  if (!plan) return undefined
  for (const cooked of await deps.cookUnits(order.id, plan.filter((unit) => !finished.has(unit.unit)), hold)) finished.set(cooked.unit, cooked)
  return advance(order, 'ready', new Date(deps.clock.now()), { result: resultOf(units, finished) })
}

/** What the earlier claims cooked, read once they are closed: none of their holders can finish a unit after that. */
async function cookedBefore(deps: PrepareOrderDeps, orderId: string, claimNumber: number, units: number): Promise<CookedUnit[]> {
  await deps.store.closeEarlierClaims(orderId, claimNumber, units, new Date(deps.clock.now()).toISOString())
  return deps.store.cookedUnits(orderId)
}

async function acceptedOrRejected(deps: PrepareOrderDeps, order: Order, to: 'accepted' | 'cooking'): Promise<Order> {
  const reason = refusalReason(order, await deps.menu())
  const now = new Date(deps.clock.now())
  return reason ? advance(order, 'rejected', now, { reason }) : advance(order, to, now)
}

/** A wait for stations ends with the claim, or when the delivery drains (handed back: nothing started in it yet). */
const untilDrained = (hold: Hold, job: Job) => AbortSignal.any([hold.signal, job.signal])

/** Runs `work` with announcements that go on meanwhile; settles once all are confirmed, or fails with a refusal. */
async function announcingLater(announce: Announce, job: Job, work: (announceLater: AnnounceLater) => Promise<void>): Promise<void> {
  const announcements: Promise<void>[] = []
  const announceLater = (order: Order) => {
    const confirmed = announce(order, job.correlationId)
    // Handled here so that a refusal waits, unreported, for the await below rather than crash the process.
    confirmed.catch(() => undefined)
    announcements.push(confirmed)
  }
  try {
    await work(announceLater)
  } finally {
    await Promise.all(announcements)
  }
}
