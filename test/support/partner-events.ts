import { eventually } from './isolation.js'
import { allTickets } from './scoring.js'
import type { WebhookReceiver } from './webhook-receiver.js'

/** Events of an order that went through: placed, accepted, cooking, ready. */
const EVENTS_PER_ORDER = 4

/**
 * Every event the kitchen's tickets say happened to these orders (each version of each), once every order has
 * reached its end: what partners must have been told, read from the store rather than from what was sent.
 */
export function eventsOnceReady(kitchenUrl: () => string, orderIds: readonly string[], timeoutMs = 30_000): Promise<Set<string>> {
  const wanted = new Set(orderIds)
  return eventually(async () => {
    const tickets = (await allTickets(kitchenUrl())).filter(({ id }) => wanted.has(id))
    const ids = tickets.flatMap((ticket) => Array.from({ length: ticket.version }, (_, n) => `evt_${ticket.id}_${n + 1}`))
    return ids.length === wanted.size * EVENTS_PER_ORDER ? new Set(ids) : undefined
  }, timeoutMs, 'every order ready at the kitchen')
}

/** Waits until the receiver has taken every one of the events. */
export function untilTaken(receiver: WebhookReceiver, events: ReadonlySet<string>, timeoutMs = 20_000): Promise<true> {
  return eventually(async () => ([...events].every((id) => receiver.taken().has(id)) ? true : undefined), timeoutMs, 'every event taken')
}

/** The p-th percentile of the values (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  return [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? NaN
}

/** How long after each event happened the receiver got it. */
export const deliveryLatencies = (receiver: WebhookReceiver) => receiver.received.map(({ at, event }) => at - Date.parse(event.occurredAt))
