import type { SSEMessage } from '@fastify/sse'
import { statusRank } from '@restaurant/contracts/order-status'
import { isAfter, type OrderEvent } from '../adapters/order-event-hub.js'

export type NextEvent = (event: OrderEvent) => SSEMessage | undefined

/**
 * What one client is sent next, given the last event id it had: nothing twice or out of order. Ids only
 * increase, and an order's status only moves forward, even if Redis lost its view and announced the
 * order again. Undefined for an event that would repeat a status or go backwards.
 */
export function createEventSequence(lastEventId: string | undefined): NextEvent {
  let last = lastEventId
  const sentRank = new Map<string, number>()
  return (event) => {
    if (last !== undefined && !isAfter(event.id, last)) return undefined
    if (statusRank(event.status) <= (sentRank.get(event.orderId) ?? -1)) return undefined
    last = event.id
    sentRank.set(event.orderId, statusRank(event.status))
    const { id, status, ...data } = event
    return { id, event: status, data: { status, ...data } }
  }
}
