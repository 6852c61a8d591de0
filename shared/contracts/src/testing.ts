import { randomUUID } from 'node:crypto'
import type { MenuItem } from './menu.js'
import type { Order } from './orders.js'
import type { OrderStatus } from './order-status.js'

/** Test data for every package's tests: a valid placed order for one classic burger; override any field. */
export function buildOrder(overrides: Partial<Order> = {}): Order {
  const placedAt = overrides.placedAt ?? new Date().toISOString()
  return {
    id: randomUUID(),
    status: 'placed',
    placedAt,
    lines: [
      { menuItemId: 'classic-burger', name: 'Classic burger', station: 'grill', quantity: 1, unitPriceCents: 1150, lineTotalCents: 1150 },
    ],
    totalCents: 1150,
    history: [{ status: 'placed', at: placedAt }],
    version: 1,
    ...overrides,
  }
}

/** The same order moved on to a status, with the step recorded in its history (no lifecycle check). */
export function withStatus(order: Order, status: OrderStatus, at = new Date()): Order {
  return { ...order, status, history: [...order.history, { status, at: at.toISOString() }], version: order.version + 1 }
}

/** Test data: a menu item on the grill, available, without options; override any field. */
export function buildMenuItem(overrides: Partial<MenuItem> & Pick<MenuItem, 'id'>): MenuItem {
  return {
    name: overrides.id,
    description: '',
    category: 'Mains',
    priceCents: 1000,
    prepSeconds: 5,
    station: 'grill',
    available: true,
    optionGroups: [],
    retired: false,
    version: 1,
    changedBy: 'seed',
    changedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  }
}
