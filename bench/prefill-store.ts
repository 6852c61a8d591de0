import { randomUUID } from 'node:crypto'
import type { StoreSettings } from '@restaurant/platform/stores/chosen-store'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import type { Order } from '@restaurant/contracts/orders'
import { createTicketStore } from '../services/kitchen/src/adapters/create-ticket-store.js'
import type { Ticket } from '../services/kitchen/src/domain/ticket.js'

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

/**
 * Writes `count` served tickets into the kitchen's store through its own adapter (the store a stack's kitchens
 * use, beside them), placed over the last day: what a store holds after a day of service.
 */
export async function prefillTickets(settings: StoreSettings, count: number): Promise<void> {
  const store = await createTicketStore(settings)
  try {
    for (let n = 0; n < count; n++) await store.insertIfAbsent(servedTicket((n * dayMs) / count))
  } finally {
    await store.close()
  }
}
