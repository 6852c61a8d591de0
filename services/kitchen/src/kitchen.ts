import {
  DependencyUnavailableError,
  isCancellable,
  isTerminal,
  type CancelOrderMessage,
  type MessageContext,
  type MenuItem,
  type Order,
  type OrderPlacedMessage,
} from '@restaurant/shared'
import { finishedAt, resultOf, unitsOf, type Booking, type ScheduledUnit } from './cooking.js'
import type { Stations } from './stations.js'
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
  /** Longest an order may wait for its station while its delivery is held; one that would wait longer is set aside. */
  maxStationWaitMs: number
  now: () => number
  sleep: (ms: number) => Promise<void>
}

/** What the kitchen knows of the delivery it is working on. */
export type Job = Pick<MessageContext, 'correlationId' | 'resumes' | 'signal' | 'log'>

/**
 * The kitchen's use cases. Every step is a conditional transition of the stored ticket followed by its
 * announcement of what was stored, so an order delivered again resumes where its ticket stands and is never
 * cooked twice. The cooking goes on while the broker confirms the announcements; the delivery is settled
 * only once all are confirmed, and a failed one fails the delivery, which is then retried from the stored
 * ticket. An accepted order waits for its stations; it is `cooking` from its first item on.
 */
export function createKitchen(deps: KitchenDeps) {
  const { store, announce, stations } = deps

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
      // A new message for a known order is a duplicate publish (a client retry): its original owns it.
      if (!job.resumes) return
      job.log.warn({ orderId: order.id, status: ticket.order.status }, 'order delivered again; resuming where its ticket stands')
    }
    let current = ticket.order
    try {
      while (!isTerminal(current.status)) {
        const next = await nextState(current, job)
        // Released from its station wait: a cancellation moved the ticket on; see where it stands.
        if (!next) current = (await store.get(current.id))?.order ?? current
        // Losing this race means a cancellation or a duplicate moved the ticket first; they own it now.
        else if (!(await store.replaceIfStatus(next, current.status))) return stations.release(current.id)
        else {
          job.log.info({ orderId: next.id, status: next.status }, 'order status changed')
          announceLater(next)
          current = next
        }
      }
    } catch (err) {
      // A dependency that is away makes the delivery try again here, where the plan it committed still stands.
      if (!(err instanceof DependencyUnavailableError)) stations.release(current.id)
      throw err
    }
    if (current.status === 'ready') stations.finish(current.id)
    else stations.release(current.id)
  }

  /** The order's next state, or undefined when it was released from its station wait. */
  async function nextState(order: Order, job: Job): Promise<Order | undefined> {
    if (order.status === 'placed') {
      const reason = refusalReason(order, await deps.menu())
      return reason ? advance(order, 'rejected', now(), { reason }) : advance(order, 'accepted', now())
    }
    const plan = await planFor(order, job)
    if (!plan) return undefined
    if (order.status === 'accepted') {
      // An item may have sold out while the order queued for its station.
      const reason = refusalReason(order, await deps.menu())
      return reason ? advance(order, 'rejected', now(), { reason }) : advance(order, 'cooking', now())
    }
    await deps.sleep(Math.max(0, finishedAt(plan, deps.now()) - deps.now()))
    return advance(order, 'ready', now(), { result: resultOf(plan) })
  }

  /**
   * Its stations' plan, once the order may start. An order resumed while cooking whose plan was lost with
   * the process that made it is booked again. Its place in line is the time it was accepted.
   */
  async function planFor(order: Order, job: Job): Promise<ScheduledUnit[] | undefined> {
    const accepted = order.history.find((entry) => entry.status === 'accepted')?.at ?? order.placedAt
    const booking: Booking = { orderId: order.id, priority: Date.parse(accepted), units: unitsOf(order, await deps.menu(), deps.speedFactor) }
    return stations.cook(booking, { maxWaitMs: deps.maxStationWaitMs, signal: job.signal })
  }

  const now = () => new Date(deps.now())

  /** Cancels an order still placed or accepted, freeing its stations at once; otherwise says where it stands. */
  async function cancel({ order }: CancelOrderMessage, job: Job): Promise<void> {
    let current = (await store.insertIfAbsent({ order })).ticket.order
    while (isCancellable(current.status)) {
      const cancelled = advance(current, 'cancelled', now())
      if (await store.replaceIfStatus(cancelled, current.status)) {
        stations.release(current.id)
        job.log.info({ orderId: current.id }, 'order cancelled')
        return announce(cancelled, job.correlationId)
      }
      current = (await store.get(current.id))?.order ?? current
    }
    job.log.info({ orderId: current.id, status: current.status }, 'cancellation too late; the order goes on')
    return announce(current, job.correlationId)
  }

  /**
   * Past its last retry an order fails, so that the customer sees it rather than waiting forever. Only what
   * is stored is announced: an order that reached another end meanwhile is announced as it stands.
   */
  async function fail({ order, fingerprint }: OrderPlacedMessage, job: Job): Promise<void> {
    let current = (await store.insertIfAbsent({ order, fingerprint })).ticket.order
    while (!isTerminal(current.status)) {
      const failed = advance(current, 'failed', now(), { reason: 'the kitchen could not process the order' })
      if (await store.replaceIfStatus(failed, current.status)) {
        stations.release(current.id)
        return announce(failed, job.correlationId)
      }
      current = (await store.get(current.id))?.order ?? current
    }
    return announce(current, job.correlationId)
  }

  return { prepare, cancel, fail }
}
