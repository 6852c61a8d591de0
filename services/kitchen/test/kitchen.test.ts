import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { createLogger, DependencyUnavailableError, menu as realMenu, stationCapacity, type MenuItem, type Order, type OrderStatus } from '@restaurant/shared'
import { buildOrder, withStatus } from '@restaurant/shared/testing'
import { createStations, type Stations } from '../src/stations.js'
import { createKitchen, type Job } from '../src/kitchen.js'
import { createNedbTicketStore } from '../src/nedb-ticket-store.js'
import type { TicketStore } from '../src/ticket-store.js'
import { createFakeClock } from './fake-clock.js'

const log = createLogger({ name: 'test', level: 'silent', pretty: false })

interface KitchenOptions {
  menu?: readonly MenuItem[]
  refuse?: (order: Order) => boolean
  /** Cooking takes real menu times on a clock the test moves; 0 cooks at once. */
  speedFactor?: number
  maxStationWaitMs?: number
  /** Lets the test break the store's writes. */
  store?: (store: TicketStore) => TicketStore
}

/** A kitchen over a real embedded store and real stations on a fake clock, recording what it announces and cooks. */
async function buildKitchen(t: Test, options: KitchenOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'kitchen-'))
  const realStore = await createNedbTicketStore({ dataDir: dir })
  t.teardown(async () => {
    await realStore.close()
    await rm(dir, { recursive: true, force: true })
  })
  const store = options.store?.(realStore) ?? realStore
  const clock = createFakeClock()
  const announced: Array<{ id: string; status: OrderStatus; version: number }> = []
  const cooked: string[] = []
  const real = createStations(stationCapacity, clock)
  // An order is cooked each time the stations commit a plan for it.
  const stations: Stations = {
    ...real,
    cook: async (booking, cookOptions) => {
      const before = real.planOf(booking.orderId)
      const plan = await real.cook(booking, cookOptions)
      if (plan && !before) cooked.push(booking.orderId)
      return plan
    },
  }
  let menu = options.menu ?? realMenu
  const kitchen = createKitchen({
    store,
    announce: async (order: Order) => {
      // A refusal comes after a delay, as a broker's nack would, while the kitchen has moved on.
      if (options.refuse?.(order)) return sleep(20).then(() => Promise.reject(new Error('nacked')))
      announced.push({ id: order.id, status: order.status, version: order.version })
    },
    menu: async () => menu,
    stations,
    speedFactor: options.speedFactor ?? 0,
    maxStationWaitMs: options.maxStationWaitMs ?? 3_600_000,
    now: clock.now,
    sleep: (ms) => clock.sleep(ms, new AbortController().signal),
  })
  const closing = new AbortController()
  const job = (resumes = false): Job => ({ correlationId: 'test', resumes, signal: closing.signal, log })
  const sellOut = (id: string) => (menu = menu.map((item) => (item.id === id ? { ...item, available: false } : item)))
  const statusesOf = (id: string) => announced.filter((a) => a.id === id).map((a) => a.status)
  return { kitchen, store: realStore, announced, statusesOf, job, sellOut, cooked, clock, stations: real, closing }
}

const burgers = (quantity: number) => buildOrder({ lines: [{ menuItemId: 'classic-burger', name: 'Classic burger', station: 'grill', quantity, unitPriceCents: 1150, lineTotalCents: 1150 * quantity }] })

/** Cooks an order of four burgers at menu speed until it holds the whole grill; resolves with its preparation. */
async function occupyTheGrill(built: Awaited<ReturnType<typeof buildKitchen>>) {
  const blocker = burgers(stationCapacity.grill)
  const cooking = built.kitchen.prepare({ order: blocker, fingerprint: 'fp' }, built.job())
  await waitFor(() => built.stations.planOf(blocker.id) !== undefined)
  return { blocker, cooking }
}

async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await condition()); i++) await sleep(2)
  if (!(await condition())) throw new Error('condition never held')
}

t.test('a placed order is accepted, cooked and ready, each step stored, announced and counted in its version', async (t) => {
  const { kitchen, store, announced, job, cooked } = await buildKitchen(t)
  const order = buildOrder()
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.same(announced.map((a) => [a.status, a.version]), [['accepted', 2], ['cooking', 3], ['ready', 4]])
  const ticket = await store.get(order.id)
  t.equal(ticket?.order.status, 'ready')
  t.same(ticket?.order.history.map((h) => h.status), ['placed', 'accepted', 'cooking', 'ready'])
  t.equal(ticket?.order.result?.items.length, 1)
  t.same(cooked, [order.id])
})

t.test('an announcement the broker refuses fails the delivery once the cooking is done; the retry announces the ticket', async (t) => {
  let refusals = 1
  const { kitchen, store, announced, job, cooked } = await buildKitchen(t, { refuse: (order) => order.status === 'accepted' && refusals-- > 0 })
  const order = buildOrder()
  await t.rejects(kitchen.prepare({ order, fingerprint: 'fp' }, job()), /nacked/)
  t.equal((await store.get(order.id))?.order.status, 'ready', 'the cooking went on meanwhile')
  t.same(announced.map((a) => a.status), ['cooking', 'ready'])
  await kitchen.prepare({ order, fingerprint: 'fp' }, job(true))
  t.same(announced.at(-1), { id: order.id, status: 'ready', version: 4 }, 'the retry announces where the ticket stands')
  t.equal(cooked.length, 1)
})

t.test('an order delivered again once ready is announced again but not cooked again', async (t) => {
  const { kitchen, announced, job, cooked } = await buildKitchen(t)
  const order = buildOrder()
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  await kitchen.prepare({ order, fingerprint: 'fp' }, job(true))
  t.equal(cooked.length, 1)
  t.same(announced.at(-1), { id: order.id, status: 'ready', version: 4 })
})

t.test('an order delivered again after a crash mid-cooking is finished once', async (t) => {
  const { kitchen, store, job, cooked } = await buildKitchen(t)
  const placed = buildOrder()
  await store.insertIfAbsent({ order: withStatus(withStatus(placed, 'accepted'), 'cooking'), fingerprint: 'fp' })
  await kitchen.prepare({ order: placed, fingerprint: 'fp' }, job(true))
  t.equal((await store.get(placed.id))?.order.status, 'ready')
  t.equal(cooked.length, 1)
})

t.test('a replayed dead letter of an order with a ticket resumes it and finishes it', async (t) => {
  const { kitchen, store, job, statusesOf } = await buildKitchen(t)
  const placed = buildOrder()
  await store.insertIfAbsent({ order: withStatus(placed, 'accepted'), fingerprint: 'fp' })
  await kitchen.prepare({ order: placed, fingerprint: 'fp' }, job(true))
  t.equal((await store.get(placed.id))?.order.status, 'ready')
  t.same(statusesOf(placed.id), ['accepted', 'cooking', 'ready'])
})

t.test('a new message for an order the kitchen holds is a duplicate publish, left to its original', async (t) => {
  const { kitchen, store, job, cooked, statusesOf } = await buildKitchen(t)
  const placed = buildOrder()
  await store.insertIfAbsent({ order: withStatus(placed, 'accepted'), fingerprint: 'fp' })
  await kitchen.prepare({ order: placed, fingerprint: 'fp' }, job(false))
  t.equal((await store.get(placed.id))?.order.status, 'accepted')
  t.same(statusesOf(placed.id), ['accepted'], 'its state is announced again, nothing more')
  t.equal(cooked.length, 0)
})

t.test('duplicate deliveries of one order at the same time cook it once', async (t) => {
  const { kitchen, store, job, cooked } = await buildKitchen(t)
  const order = buildOrder()
  await Promise.all(Array.from({ length: 5 }, () => kitchen.prepare({ order, fingerprint: 'fp' }, job())))
  t.equal(cooked.length, 1)
  t.equal((await store.get(order.id))?.order.status, 'ready')
})

t.test('an order with a sold-out item is rejected with the reason and never cooked', async (t) => {
  const soldOut = realMenu.map((item) => (item.id === 'classic-burger' ? { ...item, available: false } : item))
  const { kitchen, store, announced, job, cooked } = await buildKitchen(t, { menu: soldOut })
  const order = buildOrder()
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.same(announced.map((a) => a.status), ['rejected'])
  t.match((await store.get(order.id))?.order, { status: 'rejected', reason: 'sold out: classic-burger' })
  t.equal(cooked.length, 0)
})

t.test('an order waiting for its station when an item sells out is rejected, and its station is free again', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1 })
  const { blocker, cooking } = await occupyTheGrill(built)
  const order = buildOrder()
  const preparing = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(() => built.stations.waiting() === 1)
  built.sellOut('classic-burger')
  await built.clock.advance(8_000)
  await Promise.all([preparing, cooking])
  t.same(built.statusesOf(order.id), ['accepted', 'rejected'])
  t.match((await built.store.get(order.id))?.order, { status: 'rejected', reason: 'sold out: classic-burger' })
  t.equal(built.stations.planOf(order.id), undefined, 'its plan was given back')
  t.same(built.cooked, [blocker.id, order.id], 'it reached its station, then the menu said no')
})

t.test('a cancellation that arrives before the order is cancels it, and the order is never cooked', async (t) => {
  const { kitchen, store, announced, job, cooked } = await buildKitchen(t)
  const order = buildOrder()
  await kitchen.cancel({ order }, job())
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.equal((await store.get(order.id))?.order.status, 'cancelled')
  t.same(announced.map((a) => a.status), ['cancelled', 'cancelled'])
  t.equal(cooked.length, 0)
})

t.test('a cancellation while the order waits for its station wakes it at once, and the next order takes its place', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1 })
  await occupyTheGrill(built)
  const cancelled = burgers(4)
  const next = burgers(1)
  const waitingOne = built.kitchen.prepare({ order: cancelled, fingerprint: 'fp' }, built.job())
  await waitFor(() => built.stations.waiting() === 1)
  const waitingNext = built.kitchen.prepare({ order: next, fingerprint: 'fp' }, built.job())
  await waitFor(() => built.stations.waiting() === 2)
  await built.kitchen.cancel({ order: cancelled }, built.job())
  await waitingOne
  t.same(built.statusesOf(cancelled.id), ['accepted', 'cancelled'], 'woken without the clock moving')
  t.notOk(built.cooked.includes(cancelled.id), 'never cooked')
  await built.clock.advance(8_000)
  await waitFor(() => built.stations.planOf(next.id) !== undefined)
  t.equal(built.stations.planOf(next.id)?.[0]?.startMs, 8_000, 'the next order starts as soon as the grill frees, not after the cancelled one')
  await built.clock.advance(8_000)
  await waitingNext
})

t.test('a cancellation once cooking has started changes nothing: the order is ready', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1 })
  const order = burgers(1)
  const preparing = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(async () => (await built.store.get(order.id))?.order.status === 'cooking')
  await built.kitchen.cancel({ order }, built.job())
  await built.clock.advance(8_000)
  await preparing
  t.equal((await built.store.get(order.id))?.order.status, 'ready')
  t.same(built.statusesOf(order.id), ['accepted', 'cooking', 'cooking', 'ready'], 'the late cancel re-announces the current state')
})

t.test('an order still waiting for its station when its delivery ends (the kitchen closes) stops waiting, uncooked', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1 })
  await occupyTheGrill(built)
  const order = buildOrder()
  const preparing = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(() => built.stations.waiting() === 1)
  built.closing.abort(new Error('the consumer is draining'))
  await t.rejects(preparing, /draining/)
  t.equal((await built.store.get(order.id))?.order.status, 'accepted', 'it resumes from accepted when delivered again')
  t.equal(built.stations.waiting(), 0, 'its booking is given back')
})

t.test('an order that would wait for its station longer than a delivery may be held is set aside, its slots freed', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1, maxStationWaitMs: 5_000 })
  await occupyTheGrill(built)
  const order = buildOrder()
  await t.rejects(built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job()), { code: 'SET_ASIDE' })
  t.equal((await built.store.get(order.id))?.order.status, 'accepted', 'it comes back later and resumes from its ticket')
  t.equal(built.stations.waiting(), 0)
  await built.clock.advance(8_000)
  const resumed = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job(true))
  await waitFor(() => built.stations.planOf(order.id) !== undefined)
  await built.clock.advance(8_000)
  await resumed
  t.equal((await built.store.get(order.id))?.order.status, 'ready', 'back from being set aside, it is cooked')
  t.equal(built.cooked.filter((id) => id === order.id).length, 1, 'once')
})

t.test('a store that fails mid-cooking makes the delivery fail as unavailable; trying again finishes the order on the same plan', async (t) => {
  let failReady = true
  const built = await buildKitchen(t, {
    store: (store) => ({
      ...store,
      replaceIfStatus: async (order, expected) => {
        if (order.status === 'ready' && failReady) throw new DependencyUnavailableError('the ticket store')
        return store.replaceIfStatus(order, expected)
      },
    }),
  })
  const order = buildOrder()
  await t.rejects(built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job()), { code: 'DEPENDENCY_UNAVAILABLE' })
  failReady = false
  await built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job(true))
  t.equal((await built.store.get(order.id))?.order.status, 'ready')
  t.equal(built.cooked.length, 1, 'cooked once: the second attempt found its plan')
})

t.test('failing an order stores failed, then announces it', async (t) => {
  const { kitchen, store, statusesOf, job } = await buildKitchen(t)
  const order = buildOrder()
  await store.insertIfAbsent({ order: withStatus(order, 'accepted'), fingerprint: 'fp' })
  await kitchen.fail({ order, fingerprint: 'fp' }, job(true))
  t.match((await store.get(order.id))?.order, { status: 'failed', version: 3, reason: 'the kitchen could not process the order' })
  t.same(statusesOf(order.id), ['failed'])
})

t.test('failing an order that became ready meanwhile announces ready: only what is stored is announced', async (t) => {
  let winner: Order | undefined
  const { kitchen, store, statusesOf, job } = await buildKitchen(t, {
    store: (real) => ({
      ...real,
      // The cooking wins the race just before the failure is written.
      replaceIfStatus: async (next, expected) => {
        if (next.status === 'failed' && winner) await real.replaceIfStatus(winner, 'accepted')
        winner = undefined
        return real.replaceIfStatus(next, expected)
      },
    }),
  })
  const order = buildOrder()
  const accepted = withStatus(order, 'accepted')
  winner = withStatus(withStatus(accepted, 'cooking'), 'ready')
  await store.insertIfAbsent({ order: accepted, fingerprint: 'fp' })
  await kitchen.fail({ order, fingerprint: 'fp' }, job(true))
  t.equal((await store.get(order.id))?.order.status, 'ready')
  t.same(statusesOf(order.id), ['ready'])
})

t.test('failing an order while the store is out of reach announces nothing: the failure waits for the store', async (t) => {
  const { kitchen, announced, job } = await buildKitchen(t, {
    store: (real) => ({ ...real, insertIfAbsent: async () => Promise.reject(new DependencyUnavailableError('the ticket store')) }),
  })
  await t.rejects(kitchen.fail({ order: buildOrder(), fingerprint: 'fp' }, job(true)), { code: 'DEPENDENCY_UNAVAILABLE' })
  t.same(announced, [])
})
