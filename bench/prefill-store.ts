import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import type { StoreSettings } from '@restaurant/platform/stores/chosen-store'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import type { Order } from '@restaurant/contracts/orders'
import { createTicketStore } from '../services/kitchen/src/adapters/create-ticket-store.js'
import type { Ticket } from '../services/kitchen/src/domain/ticket.js'
import { createOrderViews } from '../services/waiter/src/adapters/order-views.js'

const served = ['accepted', 'cooking', 'ready'] as const
const dayMs = 86_400_000

/** A ticket as the kitchen leaves a served order: fries and a lemonade, placed `ageMs` ago, moved on to `ready`. */
export function servedTicket(ageMs: number, now = Date.now()): Ticket {
  const placedAt = new Date(now - ageMs)
  const placed = buildOrder({
    placedAt: placedAt.toISOString(),
    lines: [
      { menuItemId: 'fries', name: 'Fries', station: 'fry', quantity: 1, unitPriceCents: 450, lineTotalCents: 450 },
      { menuItemId: 'lemonade', name: 'Lemonade', station: 'drinks', quantity: 1, unitPriceCents: 350, lineTotalCents: 350 },
    ],
    totalCents: 800,
  })
  const order = served.reduce((moved: Order, status, step) => withStatus(moved, status, new Date(placedAt.getTime() + (step + 1) * 1000)), placed)
  return { order, fingerprint: randomUUID() }
}

export interface PrefillTarget {
  /** The kitchens' store. */
  store: StoreSettings
  /** The waiter's Redis and key prefix, for its order views and event streams. */
  redisUrl: string
  redisPrefix: string
}

// Tickets written between the views' batches, each batch's views applied at once.
const batch = 1000

/**
 * Writes `count` served orders, placed over the last day, where a stack keeps them, beside its running services:
 * each a ticket in the kitchens' store (through the kitchen's own adapter) and the waiter's view of it with its
 * statuses on the event streams (through the waiter's own adapter): what they hold after a day of service.
 */
export async function prefillOrders(target: PrefillTarget, count: number): Promise<void> {
  const store = await createTicketStore(target.store)
  const redis = new Redis(target.redisUrl, { keyPrefix: target.redisPrefix })
  const views = createOrderViews(redis, { viewTtlSeconds: 86_400 })
  try {
    for (let first = 0; first < count; first += batch) {
      const tickets = Array.from({ length: Math.min(batch, count - first) }, (_, n) => servedTicket(((first + n) * dayMs) / count))
      for (const ticket of tickets) await store.insertIfAbsent(ticket)
      await Promise.all(tickets.map(({ order }) => views.apply(order, 'prefill')))
    }
  } finally {
    redis.disconnect()
    await store.close()
  }
}
