import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'
import { Registry } from 'prom-client'
import { menu as realMenu, stationCapacity, type MenuItem } from '@restaurant/contracts/menu'
import type { OrderStatus } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'
import { buildOrder } from '@restaurant/contracts/testing'
import { createKitchenMetrics } from '../../src/adapters/kitchen-metrics.js'
import { createSqliteTicketStore } from '../../src/adapters/sqlite/sqlite-ticket-store.js'
import { createStations } from '../../src/adapters/stations.js'
import { createKitchen } from '../../src/kitchen.js'
import type { Job, Stations } from '../../src/use-cases/ports.js'
import type { TicketStore } from '../../src/use-cases/ticket-store.js'
import { createFakeClock } from './fake-clock.js'
import { captureLogs } from './log-capture.js'

export interface KitchenOptions {
  menu?: readonly MenuItem[]
  refuse?: (order: Order) => boolean
  /** Cooking takes real menu times on a clock the test moves; 0 cooks at once. */
  speedFactor?: number
  maxStationWaitMs?: number
  leaseMs?: number
  /** Lets the test break the store's writes. */
  store?: (store: TicketStore) => TicketStore
}

/** A store in a fresh temporary folder, closed and removed when the test ends. */
export async function temporaryStore(t: Test): Promise<TicketStore> {
  const dir = await mkdtemp(join(tmpdir(), 'kitchen-'))
  const store = await createSqliteTicketStore({ dataDir: dir })
  t.teardown(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })
  return store
}

/** Counts an order as cooked each time the stations commit a plan for it. */
function countingStations(real: Stations, cooked: string[]): Stations {
  return {
    ...real,
    cook: async (booking, cookOptions) => {
      const before = real.planOf(booking.orderId)
      const plan = await real.cook(booking, cookOptions)
      if (plan && !before) cooked.push(booking.orderId)
      return plan
    },
  }
}

/** A kitchen over a real embedded store and real stations on a fake clock, recording what it announces, cooks and logs. */
export async function buildKitchen(t: Test, options: KitchenOptions = {}) {
  const realStore = await temporaryStore(t)
  const clock = createFakeClock()
  const announced: Array<{ id: string; status: OrderStatus; version: number }> = []
  const cooked: string[] = []
  const stations = createStations(stationCapacity, clock)
  let menu = options.menu ?? realMenu
  const metrics = createKitchenMetrics(new Registry())
  const kitchen = createKitchen({
    store: options.store?.(realStore) ?? realStore,
    announce: async (order: Order) => {
      // A refusal comes after a delay, as a broker's nack would, while the kitchen has moved on.
      if (options.refuse?.(order)) return sleep(20).then(() => Promise.reject(new Error('nacked')))
      announced.push({ id: order.id, status: order.status, version: order.version })
    },
    menu: async () => menu,
    stations: countingStations(stations, cooked),
    speedFactor: options.speedFactor ?? 0,
    maxStationWaitMs: options.maxStationWaitMs ?? 3_600_000,
    kitchen: 'kitchen-1',
    leaseMs: options.leaseMs ?? 10_000,
    clock,
    metrics,
  })
  t.teardown(kitchen.close)
  const { log, logs } = captureLogs()
  const closing = new AbortController()
  /** A delivery: its channel closes when `channelClosed` aborts; every delivery drains when `closing` aborts. */
  const job = (channelClosed = new AbortController().signal): Job => ({ correlationId: 'test', signal: AbortSignal.any([closing.signal, channelClosed]), channelClosed, log })
  const sellOut = (id: string) => (menu = menu.map((item) => (item.id === id ? { ...item, available: false } : item)))
  const statusesOf = (id: string) => announced.filter((a) => a.id === id).map((a) => a.status)
  /** How many times each unit of the order was finished, by the witness. */
  const finishedUnits = async (id: string) => {
    const counts = new Map<number, number>()
    for (const unit of await realStore.cookedUnits(id)) if (unit.endedAt) counts.set(unit.unit, (counts.get(unit.unit) ?? 0) + 1)
    return [...counts].sort(([a], [b]) => a - b).map(([, count]) => count)
  }
  return { kitchen, store: realStore, announced, statusesOf, job, sellOut, cooked, clock, stations, closing, metrics, finishedUnits, logs }
}
export type BuiltKitchen = Awaited<ReturnType<typeof buildKitchen>>

export const burgers = (quantity: number) =>
  buildOrder({ lines: [{ menuItemId: 'classic-burger', name: 'Classic burger', station: 'grill', quantity, unitPriceCents: 1150, lineTotalCents: 1150 * quantity }] })

/** Cooks an order of four burgers at menu speed until it holds the whole grill; resolves with its preparation. */
export async function occupyTheGrill(built: BuiltKitchen) {
  const blocker = burgers(stationCapacity.grill)
  const cooking = built.kitchen.prepare({ order: blocker, fingerprint: 'fp' }, built.job())
  await waitFor(() => built.stations.planOf(blocker.id) !== undefined)
  return { blocker, cooking }
}

export async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await condition()); i++) await sleep(2)
  if (!(await condition())) throw new Error('condition never held')
}

export const heldElsewhere = { code: 'HELD_ELSEWHERE' }

/** Another kitchen's claim on the order, under a lease of that kitchen's that ends at `leaseEndsAt` (ended by default). */
export async function othersClaim(store: TicketStore, orderId: string, { number = 1, leaseEndsAt = -1 } = {}): Promise<boolean> {
  const lease = { id: `other/${randomUUID()}`, kitchen: 'other', expiresAt: leaseEndsAt }
  await store.insertLease(lease)
  return store.insertClaim({ orderId, number, holder: 'other/1', kitchen: 'other', startedAt: new Date(0).toISOString(), lease: lease.id })
}
