import { isCancellable, isTerminal, type CancelOrderMessage, type MenuItem, type Order, type OrderPlacedMessage } from '@restaurant/contracts'
import type { MessageContext } from '@restaurant/platform/messaging/rabbit-delivery'
import { DependencyUnavailableError, HeldElsewhereError } from '@restaurant/platform/runtime/errors'
import { finishedUnits, renewalIntervalOf } from './claims.js'
import { resultOf, unitsOf } from './cooking.js'
import type { KitchenMetrics } from './kitchen-metrics.js'
import { createClaims, type Hold } from './leases.js'
import { createStationWaits } from './station-waits.js'
import { createUnitCooking } from './unit-cooking.js'
import type { StationClock, Stations } from './stations.js'
import { advance, refusalReason } from './ticket-lifecycle.js'
import { ClaimTakenOverError, type TicketStore } from './ticket-store.js'

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
  /** This process's incarnation: it names the claims it takes and the units it cooks. */
  kitchen: string
  /** How long a claim holds without renewal. */
  leaseMs: number
  clock: StationClock
  metrics: KitchenMetrics
}

/** What the kitchen knows of the delivery it is working on. */
export type Job = Pick<MessageContext, 'correlationId' | 'signal' | 'channelClosed' | 'log'>

type Announce = (order: Order) => void

/**
 * The kitchen's use cases. Only a claim decides who cooks an order: a delivery takes the order's claim before
 * it moves the order on, and one that meets another's live claim waits. Every step is a transition of the
 * stored ticket, fenced by the claim, followed by its announcement; every unit cooked is recorded as it cooks
 * (the witness), so an order taken over is finished from where its units stand and no unit is finished twice.
 * The delivery is settled only once every announcement is confirmed; a refused one fails it, and the retry
 * goes on from the stored ticket. An accepted order waits for its stations; it is `cooking` from its first unit.
 */
export function createKitchen(deps: KitchenDeps) {
  const { store, stations, clock } = deps
  const now = () => new Date(clock.now())
  const claims = createClaims({ store, kitchen: deps.kitchen, leaseMs: deps.leaseMs, clock, metrics: deps.metrics })
  const { cookUnits } = createUnitCooking({ store, kitchen: deps.kitchen, clock, recordForMs: deps.maxStationWaitMs })
  const waitForStations = createStationWaits({ stations, store, clock, maxWaitMs: deps.maxStationWaitMs, checkEveryMs: renewalIntervalOf(deps.leaseMs) })

  async function prepare({ order, fingerprint }: OrderPlacedMessage, job: Job): Promise<void> {
    await announcingLater(job, async (announceLater) => {
      const { created, ticket } = await store.insertIfAbsent({ order, fingerprint })
      if (isTerminal(ticket.order.status)) return announceLater(ticket.order)
      await underClaim(order.id, job, (hold) => cook(hold, { job, announceLater, resumed: !created }))
    })
  }

  /** Runs `work` with announcements that go on meanwhile; settles once all are confirmed, or fails with a refusal. */
  async function announcingLater(job: Job, work: (announceLater: Announce) => Promise<void>): Promise<void> {
    const announcements: Promise<void>[] = []
    const announceLater = (order: Order) => {
      const confirmed = deps.announce(order, job.correlationId)
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

  /**
   * Takes the order's claim (or throws HeldElsewhereError), runs `work` under it and ends it: completed when
   * `work` committed the order's end. The order's station slots are freed unless it is ready; a dependency that
   * is away keeps them, so that the delivery tries again on the plan it committed.
   */
  async function underClaim(orderId: string, job: Job, work: (hold: Hold) => Promise<Order | undefined>): Promise<void> {
    // A drain lets the cooking in hand finish; a closed channel stops it, as the broker gives the order to another.
    const hold = await claims.take(orderId, job.channelClosed)
    let ended: Order | undefined
    try {
      ended = await work(hold)
    } catch (err) {
      if (!(err instanceof DependencyUnavailableError)) stations.release(orderId)
      throw err
    } finally {
      await hold.end(ended ? 'completed' : 'abandoned', job.log)
    }
    if (ended?.status === 'ready') stations.finish(orderId)
    else stations.release(orderId)
  }

  /**
   * Moves the order on until it ends; resolves with the end when this claim committed it. A resumed order's
   * stored state is announced first: the delivery that stored it may have died before announcing it.
   */
  async function cook(hold: Hold, { job, announceLater, resumed }: { job: Job; announceLater: Announce; resumed: boolean }): Promise<Order | undefined> {
    let current = await stored(hold.claim.orderId)
    if (resumed) announceLater(current)
    let committed: Order | undefined
    while (!isTerminal(current.status)) {
      hold.check()
      const next = await nextState(current, hold, job)
      // Released from its station wait, or lost the step to a cancellation: see where the ticket stands.
      if (!next || !(await write(next, current.status, hold))) current = await stored(current.id)
      else {
        job.log.info({ orderId: next.id, status: next.status }, 'order status changed')
        announceLater(next)
        current = next
        if (isTerminal(next.status)) committed = next
      }
    }
    return committed
  }

  async function stored(orderId: string): Promise<Order> {
    const ticket = await store.get(orderId)
    if (!ticket) throw new Error(`the ticket of order ${orderId} is missing`)
    return ticket.order
  }

  /** A fenced write: a holder whose claim was taken over stops, and its delivery waits for the taker. */
  async function write(order: Order, expected: Order['status'], hold: Hold): Promise<boolean> {
    try {
      return await store.replaceIfStatus(order, expected, hold.claim.number)
    } catch (err) {
      if (!(err instanceof ClaimTakenOverError)) throw err
      deps.metrics.fencedWrites.inc()
      throw Object.assign(new HeldElsewhereError(err.message), { retryAfterMs: 0 })
    }
  }

  /** The order's next state, or undefined when it was released from its station wait. */
  async function nextState(order: Order, hold: Hold, job: Job): Promise<Order | undefined> {
    if (order.status === 'placed') return acceptedOrRejected(order, 'accepted')
    const units = unitsOf(order, await deps.menu(), deps.speedFactor)
    if (order.status === 'accepted') {
      const plan = await waitForStations(order, units, untilDrained(hold, job))
      // An item may have sold out while the order queued for its station.
      return plan && acceptedOrRejected(order, 'cooking')
    }
    // Only a claim that took an order over can find units cooked before it.
    const finished = finishedUnits(hold.claim.number > 1 ? await store.cookedUnits(order.id) : [])
    const plan = await waitForStations(order, units.filter((unit) => !finished.has(unit.unit)), untilDrained(hold, job))
    if (!plan) return undefined
    for (const cooked of await cookUnits(order.id, plan.filter((unit) => !finished.has(unit.unit)), hold)) finished.set(cooked.unit, cooked)
    return advance(order, 'ready', now(), { result: resultOf(units, finished) })
  }

  /** A wait for stations ends with the claim, or when the delivery drains (handed back: nothing started in it yet). */
  const untilDrained = (hold: Hold, job: Job) => AbortSignal.any([hold.signal, job.signal])

  async function acceptedOrRejected(order: Order, to: 'accepted' | 'cooking'): Promise<Order> {
    const reason = refusalReason(order, await deps.menu())
    return reason ? advance(order, 'rejected', now(), { reason }) : advance(order, to, now())
  }

  /** Cancels an order still placed or accepted, freeing its stations at once; otherwise says where it stands. */
  async function cancel({ order }: CancelOrderMessage, job: Job): Promise<void> {
    let current = (await store.insertIfAbsent({ order })).ticket.order
    while (isCancellable(current.status)) {
      const cancelled = advance(current, 'cancelled', now())
      if (await store.replaceIfStatus(cancelled, current.status)) {
        stations.release(current.id)
        job.log.info({ orderId: current.id }, 'order cancelled')
        return deps.announce(cancelled, job.correlationId)
      }
      current = await stored(current.id)
    }
    job.log.info({ orderId: current.id, status: current.status }, 'cancellation too late; the order goes on')
    return deps.announce(current, job.correlationId)
  }

  /**
   * Past its last retry an order fails, so that the customer sees it rather than waiting forever. Failing
   * takes the order's claim like cooking does, so it waits for a live holder rather than fail its cooking.
   * Only what is stored is announced: an order that reached another end meanwhile is announced as it stands.
   */
  async function fail({ order, fingerprint }: OrderPlacedMessage, job: Job): Promise<void> {
    const { ticket } = await store.insertIfAbsent({ order, fingerprint })
    if (isTerminal(ticket.order.status)) return deps.announce(ticket.order, job.correlationId)
    await underClaim(order.id, job, async (hold) => {
      let current = await stored(order.id)
      while (!isTerminal(current.status)) {
        const failed = advance(current, 'failed', now(), { reason: 'the kitchen could not process the order' })
        if (await write(failed, current.status, hold)) {
          await deps.announce(failed, job.correlationId)
          return failed
        }
        current = await stored(order.id)
      }
      await deps.announce(current, job.correlationId)
      return undefined
    })
  }

  /** Stops renewing the kitchen's lease, once no delivery is in hand. */
  const close = () => claims.close()

  return { prepare, cancel, fail, close }
}
