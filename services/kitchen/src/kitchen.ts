import {
  isCancellable,
  isTerminal,
  type CancelOrderMessage,
  type KitchenResult,
  type MenuItem,
  type Order,
  type OrderPlacedMessage,
} from '@restaurant/shared'
import type { Logger } from '@restaurant/shared'
import { finishedAt, resultOf, schedule, unitsOf, type StationSlots } from './cooking.js'
import { advance, refusalReason } from './ticket-lifecycle.js'
import type { TicketStore } from './ticket-store.js'

export interface KitchenDeps {
  store: TicketStore
  /** Publishes the order's new state; resolves once the broker confirmed it. */
  announce: (order: Order, correlationId: string) => Promise<void>
  menu: () => readonly MenuItem[]
  speedFactor: number
  now: () => number
  sleep: (ms: number) => Promise<void>
  stations: { slots: StationSlots }
}

export interface Job {
  correlationId: string
  /** True when the broker delivers this message again because an earlier delivery was not acked. */
  redelivered: boolean
  log: Logger
}

/**
 * The kitchen's use cases. Every step is a conditional transition of the stored ticket followed by a
 * confirmed announcement, so a redelivered order resumes where the ticket stands and is never cooked twice.
 */
export function createKitchen(deps: KitchenDeps) {
  const { store, announce } = deps

  async function prepare({ order, fingerprint }: OrderPlacedMessage, job: Job): Promise<void> {
    const { created, ticket } = await store.insertIfAbsent({ order, fingerprint })
    if (!created) {
      // The stored state may never have been announced if an earlier delivery died in between.
      await announce(ticket.order, job.correlationId)
      // A first delivery of a known order is a duplicate publish (a client retry): its original owns it.
      if (!job.redelivered) return
    }
    let current = ticket.order
    while (!isTerminal(current.status)) {
      const next = await nextState(current)
      // Losing this race means a cancellation or a duplicate moved the ticket first; they own it now.
      if (!(await store.replaceIfStatus(next, current.status))) return
      job.log.info({ orderId: next.id, status: next.status }, `order ${next.status}`)
      await announce(next, job.correlationId)
      current = next
    }
  }

  async function nextState(order: Order): Promise<Order> {
    const at = new Date(deps.now())
    if (order.status === 'placed') {
      const reason = refusalReason(order, deps.menu())
      return reason ? advance(order, 'rejected', at, { reason }) : advance(order, 'accepted', at)
    }
    if (order.status === 'accepted') return advance(order, 'cooking', at)
    const result = await cook(order)
    return advance(order, 'ready', new Date(deps.now()), { result })
  }

  /** Books the order's units on the stations and waits until the last one is done. */
  async function cook(order: Order): Promise<KitchenResult> {
    const now = deps.now()
    const booked = schedule(deps.stations.slots, unitsOf(order, deps.menu(), deps.speedFactor), now)
    deps.stations.slots = booked.slots
    await deps.sleep(finishedAt(booked.scheduled, now) - now)
    return resultOf(booked.scheduled)
  }

  async function reload(orderId: string): Promise<Order> {
    const ticket = await store.get(orderId)
    if (!ticket) throw new Error(`ticket ${orderId} vanished`)
    return ticket.order
  }

  async function cancel({ order }: CancelOrderMessage, job: Job): Promise<void> {
    const { ticket } = await store.insertIfAbsent({ order })
    const current = ticket.order
    if (!isCancellable(current.status)) {
      job.log.info({ orderId: current.id, status: current.status }, 'cancellation too late; order goes on')
      return announce(current, job.correlationId)
    }
    const cancelled = advance(current, 'cancelled', new Date(deps.now()))
    if (await store.replaceIfStatus(cancelled, current.status)) {
      job.log.info({ orderId: current.id }, 'order cancelled')
      return announce(cancelled, job.correlationId)
    }
    return cancel({ order: await reload(current.id) }, job)
  }

  return { prepare, cancel }
}
