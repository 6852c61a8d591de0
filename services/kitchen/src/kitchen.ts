import {
  HandBackError,
  isCancellable,
  isTerminal,
  type CancelOrderMessage,
  type MessageContext,
  type MenuItem,
  type Order,
  type OrderPlacedMessage,
} from '@restaurant/shared'
import { finishedAt, resultOf, startsAt, unitsOf, type ScheduledUnit, type Stations } from './cooking.js'
import { advance, refusalReason } from './ticket-lifecycle.js'
import type { TicketStore } from './ticket-store.js'

export interface KitchenDeps {
  store: TicketStore
  /** Publishes the order's new state; resolves once the broker confirmed it. */
  announce: (order: Order, correlationId: string) => Promise<void>
  /** The menu as it stands now, with items staff marked sold out. */
  menu: () => Promise<readonly MenuItem[]>
  stations: Stations
  speedFactor: number
  now: () => number
  /** Rejects when `signal` aborts before the time is up. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
}

/** What the kitchen knows of the delivery it is working on. */
export type Job = Pick<MessageContext, 'correlationId' | 'redelivered' | 'retries' | 'log'>

/**
 * The kitchen's use cases. Every step is a conditional transition of the stored ticket followed by its
 * announcement, so a redelivered order resumes where its ticket stands and is never cooked twice. The
 * cooking goes on while the broker confirms the announcements; the delivery is settled only once all are
 * confirmed, and a failed one fails the delivery, which is then retried from the stored ticket. An
 * accepted order waits for its stations; it is `cooking` from its first item on.
 */
export function createKitchen(deps: KitchenDeps) {
  const { store, announce } = deps
  const plans = new Map<string, ScheduledUnit[]>()
  const closing = new AbortController()

  async function prepare(message: OrderPlacedMessage, job: Job): Promise<void> {
    const announcements: Promise<void>[] = []
    const announceLater = (order: Order) => {
      const confirmed = announce(order, job.correlationId)
      // Handled here so that a refusal waits, unreported, for the await below rather than crash the process.
      confirmed.catch(() => undefined)
      announcements.push(confirmed)
    }
    try {
      await cook(message, job, announceLater)
    } finally {
      await Promise.all(announcements)
    }
  }

  async function cook({ order, fingerprint }: OrderPlacedMessage, job: Job, announceLater: (order: Order) => void): Promise<void> {
    const { created, ticket } = await store.insertIfAbsent({ order, fingerprint })
    if (!created) {
      // The stored state may never have been announced if an earlier delivery died in between.
      announceLater(ticket.order)
      // A first delivery of a known order is a duplicate publish (a client retry): its original owns it.
      // A redelivery or a retry is the original coming back after a crash or a failure.
      if (!job.redelivered && job.retries === 0) return
      job.log.warn({ orderId: order.id, status: ticket.order.status }, 'order delivered again; resuming where its ticket stands')
    }
    let current = ticket.order
    while (!isTerminal(current.status)) {
      const next = await nextState(current)
      // Losing this race means a cancellation or a duplicate moved the ticket first; they own it now.
      if (!(await store.replaceIfStatus(next, current.status))) return void plans.delete(current.id)
      job.log.info({ orderId: next.id, status: next.status }, `order ${next.status}`)
      announceLater(next)
      current = next
    }
  }

  async function nextState(order: Order): Promise<Order> {
    if (order.status === 'placed') {
      const reason = refusalReason(order, await deps.menu())
      return reason ? advance(order, 'rejected', now(), { reason }) : advance(order, 'accepted', now())
    }
    if (order.status === 'accepted') {
      const plan = deps.stations.book(unitsOf(order, await deps.menu(), deps.speedFactor), deps.now())
      plans.set(order.id, plan)
      await waitForStation(order.id, startsAt(plan, deps.now()))
      // An item may have sold out while the order queued for its station.
      const reason = refusalReason(order, await deps.menu())
      if (reason) plans.delete(order.id)
      return reason ? advance(order, 'rejected', now(), { reason }) : advance(order, 'cooking', now())
    }
    // A redelivered order found cooking lost its plan with the process that made it: book it again.
    const plan = plans.get(order.id) ?? deps.stations.book(unitsOf(order, await deps.menu(), deps.speedFactor), deps.now())
    plans.delete(order.id)
    await waitUntil(finishedAt(plan, deps.now()))
    return advance(order, 'ready', now(), { result: resultOf(plan) })
  }

  const now = () => new Date(deps.now())
  const waitUntil = (ms: number) => deps.sleep(Math.max(0, ms - deps.now()))

  /** An order still waiting for its station when the kitchen closes goes back to the queue, uncooked. */
  async function waitForStation(orderId: string, startMs: number): Promise<void> {
    try {
      await deps.sleep(Math.max(0, startMs - deps.now()), closing.signal)
    } catch (err) {
      if (!closing.signal.aborted) throw err
      plans.delete(orderId)
      throw new HandBackError('the kitchen is closing before this order reached its station')
    }
  }

  async function cancel({ order }: CancelOrderMessage, job: Job): Promise<void> {
    const { ticket } = await store.insertIfAbsent({ order })
    const current = ticket.order
    if (!isCancellable(current.status)) {
      job.log.info({ orderId: current.id, status: current.status }, 'cancellation too late; the order goes on')
      return announce(current, job.correlationId)
    }
    const cancelled = advance(current, 'cancelled', now())
    if (await store.replaceIfStatus(cancelled, current.status)) {
      job.log.info({ orderId: current.id }, 'order cancelled')
      return announce(cancelled, job.correlationId)
    }
    return cancel({ order: (await store.get(current.id))?.order ?? current }, job)
  }

  /** Past its last retry an order fails, so that the customer sees it rather than waiting forever. */
  async function fail({ order }: OrderPlacedMessage, job: Job): Promise<void> {
    const stored = await store.get(order.id).catch(() => undefined)
    const current = stored?.order ?? order
    if (isTerminal(current.status)) return announce(current, job.correlationId)
    const failed = advance(current, 'failed', now(), { reason: 'the kitchen could not process the order' })
    // When the store is what fails, the failure is still announced: the customer must not wait in vain.
    if (stored) await store.replaceIfStatus(failed, current.status).catch(() => false)
    await announce(failed, job.correlationId)
  }

  /** Stops every wait for a station: those orders are handed back rather than holding up the shutdown. */
  function handBackWaiting(): void {
    closing.abort()
  }

  return { prepare, cancel, fail, handBackWaiting }
}
