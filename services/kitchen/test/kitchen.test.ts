import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { Registry } from 'prom-client'
import { menu as realMenu, stationCapacity, type MenuItem, type Order, type OrderStatus } from '@restaurant/contracts'
import { DependencyUnavailableError } from '@restaurant/platform/runtime/errors'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { createStations, type Stations } from '../src/stations.js'
import { createKitchen, type Job } from '../src/kitchen.js'
import { createKitchenMetrics } from '../src/kitchen-metrics.js'
import { createSqliteTicketStore } from '../src/sqlite-ticket-store.js'
import type { TicketStore } from '../src/ticket-store.js'
import { createFakeClock } from './fake-clock.js'

const log = createLogger({ name: 'test', level: 'silent', pretty: false })

interface KitchenOptions {
  menu?: readonly MenuItem[]
  refuse?: (order: Order) => boolean
  /** Cooking takes real menu times on a clock the test moves; 0 cooks at once. */
  speedFactor?: number
  maxStationWaitMs?: number
  leaseMs?: number
  /** Lets the test break the store's writes. */
  store?: (store: TicketStore) => TicketStore
}

/** A kitchen over a real embedded store and real stations on a fake clock, recording what it announces and cooks. */
async function buildKitchen(t: Test, options: KitchenOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'kitchen-'))
  const realStore = await createSqliteTicketStore({ dataDir: dir })
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
  const metrics = createKitchenMetrics(new Registry())
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
    kitchen: 'kitchen-1',
    leaseMs: options.leaseMs ?? 10_000,
    clock,
    metrics,
  })
  t.teardown(kitchen.close)
  const closing = new AbortController()
  /** A delivery: its channel closes when `channelClosed` aborts; every delivery drains when `closing` aborts. */
  const job = (channelClosed = new AbortController().signal): Job => ({ correlationId: 'test', signal: AbortSignal.any([closing.signal, channelClosed]), channelClosed, log })
  const sellOut = (id: string) => (menu = menu.map((item) => (item.id === id ? { ...item, available: false } : item)))
  const statusesOf = (id: string) => announced.filter((a) => a.id === id).map((a) => a.status)
  /** How many times each unit of the order was finished, by the witness. */
  const finishedUnits = async (id: string) => {
    const counts = new Map<number, number>()
    for (const cooked of await realStore.cookedUnits(id)) if (cooked.endedAt) counts.set(cooked.unit, (counts.get(cooked.unit) ?? 0) + 1)
    return [...counts].sort(([a], [b]) => a - b).map(([, count]) => count)
  }
  return { kitchen, store: realStore, announced, statusesOf, job, sellOut, cooked, clock, stations: real, closing, metrics, finishedUnits }
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

const heldElsewhere = { code: 'HELD_ELSEWHERE' }
/** Another kitchen's claim on the order, under a lease of that kitchen's that ends at `leaseEndsAt` (ended by default). */
async function othersClaim(store: TicketStore, orderId: string, { number = 1, leaseEndsAt = -1 } = {}): Promise<boolean> {
  const lease = { id: `other/${randomUUID()}`, kitchen: 'other', expiresAt: leaseEndsAt }
  await store.insertLease(lease)
  return store.insertClaim({ orderId, number, holder: 'other/1', kitchen: 'other', startedAt: new Date(0).toISOString(), lease: lease.id })
}

t.test('a placed order is accepted, cooked and ready, each step stored, announced and counted in its version', async (t) => {
  const { kitchen, store, announced, job, finishedUnits, metrics } = await buildKitchen(t)
  const order = buildOrder()
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.same(announced.map((a) => [a.status, a.version]), [['accepted', 2], ['cooking', 3], ['ready', 4]])
  const ticket = await store.get(order.id)
  t.equal(ticket?.order.status, 'ready')
  t.same(ticket?.order.history.map((h) => h.status), ['placed', 'accepted', 'cooking', 'ready'])
  t.equal(ticket?.committedBy, 1, 'the ready step was written under the first claim')
  t.match(await store.cookedUnits(order.id), [{ kitchen: 'kitchen-1', unit: 0, menuItemId: 'classic-burger', endedAt: String }], 'the witness')
  t.same(await finishedUnits(order.id), [1])
  t.match(ticket?.order.result, { items: [{ menuItemId: 'classic-burger', station: 'grill' }] })
  t.equal((await metrics.claims.get()).values.find((v) => v.labels.outcome === 'taken')?.value, 1)
})

t.test('each unit is recorded in the witness as it starts and as it ends, at its planned time', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1 })
  const order = burgers(1)
  const preparing = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(async () => (await built.store.cookedUnits(order.id)).length === 1)
  t.same(await built.store.cookedUnits(order.id), [{ kitchen: 'kitchen-1', unit: 0, menuItemId: 'classic-burger', startedAt: new Date(0).toISOString() }], 'started, not yet ended')
  await built.clock.advance(8_000)
  await preparing
  t.match(await built.store.cookedUnits(order.id), [{ startedAt: new Date(0).toISOString(), endedAt: new Date(8_000).toISOString() }])
})

t.test('an announcement the broker refuses fails the delivery once the cooking is done; the retry announces the ticket', async (t) => {
  let refusals = 1
  const { kitchen, store, announced, job, finishedUnits } = await buildKitchen(t, { refuse: (order) => order.status === 'accepted' && refusals-- > 0 })
  const order = buildOrder()
  await t.rejects(kitchen.prepare({ order, fingerprint: 'fp' }, job()), /nacked/)
  t.equal((await store.get(order.id))?.order.status, 'ready', 'the cooking went on meanwhile')
  t.same(announced.map((a) => a.status), ['cooking', 'ready'])
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.same(announced.at(-1), { id: order.id, status: 'ready', version: 4 }, 'the retry announces where the ticket stands')
  t.same(await finishedUnits(order.id), [1])
})

t.test('an order delivered again once ready is announced again but not cooked again', async (t) => {
  const { kitchen, announced, job, finishedUnits } = await buildKitchen(t)
  const order = buildOrder()
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.same(await finishedUnits(order.id), [1])
  t.same(announced.at(-1), { id: order.id, status: 'ready', version: 4 })
})

t.test('an order whose holder died mid-cooking is taken over once its lease ran out, and only its unfinished units are cooked', async (t) => {
  const { kitchen, store, job, finishedUnits, statusesOf } = await buildKitchen(t)
  const placed = buildOrder({ lines: [{ menuItemId: 'fries', name: 'Fries', station: 'fry', quantity: 2, unitPriceCents: 450, lineTotalCents: 900 }], totalCents: 900 })
  await store.insertIfAbsent({ order: withStatus(withStatus(placed, 'accepted'), 'cooking'), fingerprint: 'fp' })
  await othersClaim(store, placed.id)
  const done = { kitchen: 'gone', unit: 0, menuItemId: 'fries', startedAt: new Date(0).toISOString(), endedAt: new Date(1).toISOString() }
  await store.recordUnit(placed.id, 1, done)
  await store.recordUnit(placed.id, 1, { kitchen: 'gone', unit: 1, menuItemId: 'fries', startedAt: new Date(0).toISOString() })
  await kitchen.prepare({ order: placed, fingerprint: 'fp' }, job())
  const ticket = await store.get(placed.id)
  t.equal(ticket?.order.status, 'ready')
  t.equal(ticket?.committedBy, 2, 'completed under the second claim')
  t.same(await finishedUnits(placed.id), [1, 1], 'each unit finished once: the dead kitchen finished the first')
  t.match(ticket?.order.result?.items, [{ startedAt: done.startedAt, endedAt: done.endedAt }, { menuItemId: 'fries' }])
  t.same(statusesOf(placed.id), ['cooking', 'ready'], 'the stored state is announced first: it may never have been')
})

t.test('a delivery that meets a live claim does not cook: it waits until the lease may have run out', async (t) => {
  const { kitchen, store, job, cooked, statusesOf, clock } = await buildKitchen(t)
  const placed = buildOrder()
  await store.insertIfAbsent({ order: withStatus(placed, 'accepted'), fingerprint: 'fp' })
  await othersClaim(store, placed.id, { leaseEndsAt: clock.now() + 4_000 })
  await t.rejects(kitchen.prepare({ order: placed, fingerprint: 'fp' }, job()), { ...heldElsewhere, retryAfterMs: 4_000 })
  t.equal((await store.get(placed.id))?.order.status, 'accepted')
  t.same(statusesOf(placed.id), [], 'nothing announced: the holder announces')
  t.equal(cooked.length, 0)
  await clock.advance(4_000)
  await kitchen.prepare({ order: placed, fingerprint: 'fp' }, job())
  t.equal((await store.get(placed.id))?.order.status, 'ready', 'once the lease ran out, the order is taken over')
})

t.test('duplicate deliveries of one order at the same time: one takes the claim and cooks, the others wait', async (t) => {
  const { kitchen, store, job, finishedUnits } = await buildKitchen(t)
  const order = buildOrder()
  const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => kitchen.prepare({ order, fingerprint: 'fp' }, job())))
  t.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1)
  t.match(outcomes.filter((outcome) => outcome.status === 'rejected'), Array.from({ length: 4 }, () => ({ reason: heldElsewhere })))
  t.same(await finishedUnits(order.id), [1])
  t.equal((await store.claims(order.id)).length, 1)
})

t.test('a second delivery of an order this kitchen is still claiming waits, however slow the claim is to store', async (t) => {
  const { kitchen, store, job, finishedUnits } = await buildKitchen(t, {
    store: (real) => ({ ...real, insertClaim: async (claim) => sleep(20).then(() => real.insertClaim(claim)) }),
  })
  const order = buildOrder()
  const outcomes = await Promise.allSettled([kitchen.prepare({ order, fingerprint: 'fp' }, job()), sleep(5).then(() => kitchen.prepare({ order, fingerprint: 'fp' }, job()))])
  t.match(outcomes, [{ status: 'fulfilled' }, { status: 'rejected', reason: heldElsewhere }])
  t.equal((await store.claims(order.id)).length, 1, 'no second claim')
  t.same(await finishedUnits(order.id), [1])
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
  t.same(await built.store.cookedUnits(order.id), [], 'nothing of it was cooked')
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
  t.match(await built.store.claims(cancelled.id), [{ abandonedAt: String }], 'its claim ends as abandoned: it completed nothing')
  await built.clock.advance(8_000)
  await waitFor(() => built.stations.planOf(next.id) !== undefined)
  t.equal(built.stations.planOf(next.id)?.[0]?.startMs, 8_000, 'the next order starts as soon as the grill frees, not after the cancelled one')
  await built.clock.advance(8_000)
  await waitingNext
})

t.test('a cancellation stored by another kitchen releases the order from its station wait at the next lease renewal', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1, leaseMs: 3_000 })
  await occupyTheGrill(built)
  const order = buildOrder()
  const preparing = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(() => built.stations.waiting() === 1)
  const accepted = (await built.store.get(order.id))?.order
  if (!accepted) throw new Error('no ticket')
  t.ok(await built.store.replaceIfStatus(withStatus(accepted, 'cancelled'), 'accepted'), 'another kitchen cancels it')
  await built.clock.advance(1_000)
  await preparing
  t.equal(built.stations.waiting(), 0, 'released long before the grill frees at 8 s')
  t.equal(built.cooked.includes(order.id), false)
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

t.test('an order still waiting for its station when the kitchen drains stops waiting, uncooked, and its claim is free', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1 })
  await occupyTheGrill(built)
  const order = buildOrder()
  const preparing = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(() => built.stations.waiting() === 1)
  built.closing.abort(new Error('the consumer is draining'))
  await t.rejects(preparing, /draining/)
  t.equal((await built.store.get(order.id))?.order.status, 'accepted', 'it resumes from accepted when delivered again')
  t.equal(built.stations.waiting(), 0, 'its booking is given back')
  t.match(await built.store.claims(order.id), [{ abandonedAt: String }], 'another kitchen may take it at once')
})

t.test('a drain lets the cooking in hand finish', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1 })
  const order = burgers(1)
  const preparing = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(async () => (await built.store.cookedUnits(order.id)).length === 1)
  built.closing.abort(new Error('the consumer is draining'))
  await built.clock.advance(8_000)
  await preparing
  t.equal((await built.store.get(order.id))?.order.status, 'ready')
})

t.test('a delivery whose channel closed mid-cooking stops, records the unit abandoned and frees the claim; the redelivery cooks it once', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1 })
  const order = burgers(1)
  const channel = new AbortController()
  const stopped = t.rejects(built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job(channel.signal)), /channel closed/)
  await waitFor(async () => (await built.store.cookedUnits(order.id)).length === 1)
  await built.clock.advance(3_000)
  channel.abort(new Error('the channel closed'))
  await stopped
  t.match(await built.store.cookedUnits(order.id), [{ startedAt: new Date(0).toISOString(), abandonedAt: new Date(3_000).toISOString() }])
  t.equal(built.stations.planOf(order.id), undefined, 'its slot is free')
  const redelivered = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(async () => (await built.store.cookedUnits(order.id)).length === 2)
  await built.clock.advance(8_000)
  await redelivered
  t.same(await built.finishedUnits(order.id), [1], 'finished once, by the redelivery')
  t.equal((await built.store.get(order.id))?.committedBy, 2)
})

t.test("a holder whose kitchen cannot renew its lease stops before the lease ends, and records its unit abandoned", async (t) => {
  let renewals = true
  const built = await buildKitchen(t, {
    speedFactor: 1,
    leaseMs: 3_000,
    store: (real) => ({ ...real, renewLease: async (...args) => (renewals ? real.renewLease(...args) : Promise.reject(new DependencyUnavailableError('the ticket store'))) }),
  })
  const order = burgers(1)
  const stopped = t.rejects(built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job()), heldElsewhere)
  await waitFor(async () => (await built.store.cookedUnits(order.id)).length === 1)
  await built.clock.advance(2_000)
  renewals = false
  await built.clock.advance(3_000)
  await stopped
  const [cooked] = await built.store.cookedUnits(order.id)
  const stoppedAt = Date.parse(cooked?.abandonedAt ?? '')
  t.ok(stoppedAt > 4_000 && stoppedAt < 5_000, `stopped at ${cooked?.abandonedAt}, before the lease last renewed at 2 s ends at 5 s`)
  t.equal(cooked?.endedAt, undefined)
  t.equal((await built.store.get(order.id))?.order.status, 'cooking')
})

t.test('a holder whose claim was taken over is fenced: its ready write is refused and counted, and its delivery waits', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1, leaseMs: 60_000 })
  const order = burgers(1)
  const fenced = t.rejects(built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job()), heldElsewhere)
  await waitFor(async () => (await built.store.cookedUnits(order.id)).length === 1)
  // As a kitchen whose clock ran ahead would: it took the order over while this one still cooks.
  t.ok(await othersClaim(built.store, order.id, { number: 2, leaseEndsAt: 120_000 }))
  await built.clock.advance(8_000)
  await fenced
  t.equal((await built.store.get(order.id))?.order.status, 'cooking', 'the fenced holder wrote nothing')
  t.equal((await built.metrics.fencedWrites.get()).values[0]?.value, 1)
  t.match(await built.store.cookedUnits(order.id), [{ endedAt: String }], 'the witness still says what it cooked: the witness is never fenced')
})

t.test('an order that would wait for its station longer than a delivery may be held is set aside, its slots freed', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1, maxStationWaitMs: 5_000 })
  await occupyTheGrill(built)
  const order = buildOrder()
  await t.rejects(built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job()), { code: 'SET_ASIDE' })
  t.equal((await built.store.get(order.id))?.order.status, 'accepted', 'it comes back later and resumes from its ticket')
  t.equal(built.stations.waiting(), 0)
  await built.clock.advance(8_000)
  const resumed = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(() => built.stations.planOf(order.id) !== undefined)
  await built.clock.advance(8_000)
  await resumed
  t.equal((await built.store.get(order.id))?.order.status, 'ready', 'back from being set aside, it is cooked')
  t.same(await built.finishedUnits(order.id), [1], 'once')
})

t.test('a store that fails at the last step makes the delivery fail as unavailable; trying again finishes without cooking again', async (t) => {
  let failReady = true
  const built = await buildKitchen(t, {
    store: (store) => ({
      ...store,
      replaceIfStatus: async (order, expected, fence) => {
        if (order.status === 'ready' && failReady) throw new DependencyUnavailableError('the ticket store')
        return store.replaceIfStatus(order, expected, fence)
      },
    }),
  })
  const order = buildOrder()
  await t.rejects(built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job()), { code: 'DEPENDENCY_UNAVAILABLE' })
  failReady = false
  await built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  t.equal((await built.store.get(order.id))?.order.status, 'ready')
  t.same(await built.finishedUnits(order.id), [1], 'cooked once: the witness said the unit was done')
})

t.test("a unit's end that the store fails to take at first is written again: the witness does not lose a unit cooked", async (t) => {
  let refusals = 2
  const built = await buildKitchen(t, {
    store: (real) => ({
      ...real,
      recordUnit: async (orderId, claim, cooked) => (cooked.endedAt && refusals-- > 0 ? Promise.reject(new DependencyUnavailableError('the ticket store')) : real.recordUnit(orderId, claim, cooked)),
    }),
  })
  const order = buildOrder()
  const preparing = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(async () => refusals < 0 || (await built.store.get(order.id))?.order.status === 'ready' || (await built.clock.advance(50), false))
  await preparing
  t.equal((await built.store.get(order.id))?.order.status, 'ready')
  t.same(await built.finishedUnits(order.id), [1], 'its end was recorded on the third try')
})

t.test('failing an order stores failed under a claim, then announces it', async (t) => {
  const { kitchen, store, statusesOf, job } = await buildKitchen(t)
  const order = buildOrder()
  await store.insertIfAbsent({ order: withStatus(order, 'accepted'), fingerprint: 'fp' })
  await kitchen.fail({ order, fingerprint: 'fp' }, job())
  t.match(await store.get(order.id), { order: { status: 'failed', version: 3, reason: 'the kitchen could not process the order' }, committedBy: 1 })
  t.same(statusesOf(order.id), ['failed'])
})

t.test('failing an order loses to a live claim: it waits rather than fail a cooking in hand', async (t) => {
  const { kitchen, store, statusesOf, job, clock } = await buildKitchen(t)
  const order = buildOrder()
  await store.insertIfAbsent({ order: withStatus(order, 'cooking'), fingerprint: 'fp' })
  await othersClaim(store, order.id, { leaseEndsAt: clock.now() + 5_000 })
  await t.rejects(kitchen.fail({ order, fingerprint: 'fp' }, job()), heldElsewhere)
  t.equal((await store.get(order.id))?.order.status, 'cooking')
  t.same(statusesOf(order.id), [])
})

t.test('failing an order that was cancelled meanwhile announces cancelled: only what is stored is announced', async (t) => {
  let winner: Order | undefined
  const { kitchen, store, statusesOf, job } = await buildKitchen(t, {
    store: (real) => ({
      ...real,
      // A cancellation wins the race just before the failure is written.
      replaceIfStatus: async (next, expected, fence) => {
        if (next.status === 'failed' && winner) await real.replaceIfStatus(winner, 'accepted')
        winner = undefined
        return real.replaceIfStatus(next, expected, fence)
      },
    }),
  })
  const order = buildOrder()
  const accepted = withStatus(order, 'accepted')
  winner = withStatus(accepted, 'cancelled')
  await store.insertIfAbsent({ order: accepted, fingerprint: 'fp' })
  await kitchen.fail({ order, fingerprint: 'fp' }, job())
  t.equal((await store.get(order.id))?.order.status, 'cancelled')
  t.same(statusesOf(order.id), ['cancelled'])
})

t.test('failing an order while the store is out of reach announces nothing: the failure waits for the store', async (t) => {
  const { kitchen, announced, job } = await buildKitchen(t, {
    store: (real) => ({ ...real, insertIfAbsent: async () => Promise.reject(new DependencyUnavailableError('the ticket store')) }),
  })
  await t.rejects(kitchen.fail({ order: buildOrder(), fingerprint: 'fp' }, job()), { code: 'DEPENDENCY_UNAVAILABLE' })
  t.same(announced, [])
})
