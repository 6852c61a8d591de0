import { randomUUID } from 'node:crypto'
import type { Order } from '@restaurant/shared'

/** A valid placed order for one classic burger; override any field. */
export function buildOrder(overrides: Partial<Order> = {}): Order {
  const placedAt = overrides.placedAt ?? new Date().toISOString()
  return {
    id: randomUUID(),
    status: 'placed',
    placedAt,
    lines: [
      {
        menuItemId: 'classic-burger',
        name: 'Classic burger',
        station: 'grill',
        quantity: 1,
        unitPriceCents: 1150,
        lineTotalCents: 1150,
      },
    ],
    totalCents: 1150,
    history: [{ status: 'placed', at: placedAt }],
    ...overrides,
  }
}
