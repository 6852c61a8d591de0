import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { createLogger, menu as realMenu, stationCapacity, type MenuItem, type Order, type OrderStatus } from '@restaurant/shared'
import { createStations } from '../src/cooking.js'
import { createKitchen } from '../src/kitchen.js'
import { createNedbTicketStore } from '../src/nedb-ticket-store.js'
import { buildOrder, withStatus } from '@restaurant/shared/testing'

const log = createLogger({ name: 'test', level: 'silent', pretty: false })

/** A kitchen over a real embedded store, recording what it announces and how often it cooks. */
async function buildKitchen(
  t: Test,
  options: { menu?: readonly MenuItem[]; onWait?: (wait: number) => Promise<void>; refuse?: (order: Order) => boolean } = {},
) {
  const dir = await mkdtemp(join(tmpdir(), 'kitchen-'))
  const store = await createNedbTicketStore({ dataDir: dir })
  t.teardown(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })
  const announced: Array<{ id: string; status: OrderStatus }> = []
  let cooked = 0
  let waits = 0
  const stations = createStations(stationCapacity)
  let menu = options.menu ?? realMenu
  const sellOut = (id: string) => (menu = menu.map((item) => (item.id === id ? { ...item, available: false } : item)))
  const kitchen = createKitchen({
    store,
    announce: async (order: Order) => {
      // A refusal comes after a delay, as a broker's nack would, while the kitchen has moved on.
      if (options.refuse?.(order)) return sleep(20).then(() => Promise.reject(new Error('nacked')))
      announced.push({ id: order.id, status: order.status })
    },
    menu: async () => menu,
    stations: {
      book: (units, now) => {
        cooked += 1
        return stations.book(units, now)
      },
    },
    speedFactor: 0,
    now: Date.now,
    sleep: async (_ms, signal) => {
      await options.onWait?.(++waits)
      if (signal?.aborted) throw new Error('aborted')
    },
  })
  const job = (redelivered = false, retries = 0) => ({ correlationId: 'test', redelivered, retries, log })
  return { kitchen, store, announced, job, sellOut, cookCount: () => cooked }
}

t.test('a placed order is accepted, cooked and ready, each step stored and announced', async (t) => {
  const { kitchen, store, announced, job, cookCount } = await buildKitchen(t)
  const order = buildOrder()
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.same(announced.map((a) => a.status), ['accepted', 'cooking', 'ready'])
  const ticket = await store.get(order.id)
  t.equal(ticket?.order.status, 'ready')
  t.same(ticket?.order.history.map((h) => h.status), ['placed', 'accepted', 'cooking', 'ready'])
  t.equal(ticket?.order.result?.items.length, 1)
  t.equal(cookCount(), 1)
})

t.test('an announcement the broker refuses fails the delivery once the cooking is done; the retry announces the ticket', async (t) => {
  let refusals = 1
  const { kitchen, store, announced, job, cookCount } = await buildKitchen(t, { refuse: (order) => order.status === 'accepted' && refusals-- > 0 })
  const order = buildOrder()
  await t.rejects(kitchen.prepare({ order, fingerprint: 'fp' }, job()), /nacked/)
  t.equal((await store.get(order.id))?.order.status, 'ready', 'the cooking went on meanwhile')
  t.same(announced.map((a) => a.status), ['cooking', 'ready'])
  await kitchen.prepare({ order, fingerprint: 'fp' }, job(false, 1))
  t.same(announced.at(-1), { id: order.id, status: 'ready' }, 'the retry announces where the ticket stands')
  t.equal(cookCount(), 1)
})

t.test('a redelivered order that was already ready is announced again but not cooked again', async (t) => {
  const { kitchen, announced, job, cookCount } = await buildKitchen(t)
  const order = buildOrder()
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  await kitchen.prepare({ order, fingerprint: 'fp' }, job(true))
  t.equal(cookCount(), 1)
  t.same(announced.at(-1), { id: order.id, status: 'ready' })
})

t.test('a redelivery after a crash mid-cooking finishes the order once', async (t) => {
  const { kitchen, store, job, cookCount } = await buildKitchen(t)
  const placed = buildOrder()
  const cooking = withStatus(withStatus(placed, 'accepted'), 'cooking')
  await store.insertIfAbsent({ order: cooking, fingerprint: 'fp' })
  await kitchen.prepare({ order: placed, fingerprint: 'fp' }, job(true))
  t.equal((await store.get(placed.id))?.order.status, 'ready')
  t.equal(cookCount(), 1)
})

t.test('an order back from a retry tier resumes where its ticket stands, not taken for a duplicate', async (t) => {
  const { kitchen, store, job, cookCount } = await buildKitchen(t)
  const placed = buildOrder()
  await store.insertIfAbsent({ order: withStatus(placed, 'accepted'), fingerprint: 'fp' })
  await kitchen.prepare({ order: placed, fingerprint: 'fp' }, job(false, 1))
  t.equal((await store.get(placed.id))?.order.status, 'ready')
  t.equal(cookCount(), 1)
})

t.test('duplicate deliveries of one order at the same time cook it once', async (t) => {
  const { kitchen, store, job, cookCount } = await buildKitchen(t)
  const order = buildOrder()
  await Promise.all(Array.from({ length: 5 }, () => kitchen.prepare({ order, fingerprint: 'fp' }, job())))
  t.equal(cookCount(), 1)
  t.equal((await store.get(order.id))?.order.status, 'ready')
})

t.test('an order with a sold-out item is rejected with the reason and never cooked', async (t) => {
  const soldOut = realMenu.map((item) => (item.id === 'classic-burger' ? { ...item, available: false } : item))
  const { kitchen, store, announced, job, cookCount } = await buildKitchen(t, { menu: soldOut })
  const order = buildOrder()
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.same(announced.map((a) => a.status), ['rejected'])
  t.match((await store.get(order.id))?.order, { status: 'rejected', reason: 'sold out: classic-burger' })
  t.equal(cookCount(), 0)
})

t.test('an order waiting for its station when an item sells out is rejected with the reason, not cooked', async (t) => {
  let sellOut = (_id: string): unknown => undefined
  const built = await buildKitchen(t, { onWait: async () => void sellOut('classic-burger') })
  sellOut = built.sellOut
  const order = buildOrder()
  await built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  t.same(built.announced.map((a) => a.status), ['accepted', 'rejected'])
  t.match((await built.store.get(order.id))?.order, { status: 'rejected', reason: 'sold out: classic-burger' })
})

t.test('a cancellation that arrives before the order is cancels it, and the order is never cooked', async (t) => {
  const { kitchen, store, announced, job, cookCount } = await buildKitchen(t)
  const order = buildOrder()
  await kitchen.cancel({ order }, job())
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.equal((await store.get(order.id))?.order.status, 'cancelled')
  t.same(announced.map((a) => a.status), ['cancelled', 'cancelled'])
  t.equal(cookCount(), 0)
})

/** Prepares an order whose cancellation arrives during the kitchen's `atWait`th wait (1: for the station, 2: cooking). */
async function cancelDuringWait(t: Test, atWait: number) {
  let onWait: (wait: number) => Promise<void> = async () => undefined
  const { kitchen, store, announced, job } = await buildKitchen(t, { onWait: (wait) => onWait(wait) })
  const order = buildOrder()
  onWait = async (wait) => (wait === atWait ? kitchen.cancel({ order }, job()) : undefined)
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  return { status: (await store.get(order.id))?.order.status, announced: announced.map((a) => a.status) }
}

t.test('a cancellation while the order waits for its station cancels it, and it is never cooked', async (t) => {
  t.same(await cancelDuringWait(t, 1), { status: 'cancelled', announced: ['accepted', 'cancelled'] })
})

t.test('a cancellation once cooking has started changes nothing: the order is ready', async (t) => {
  const { status, announced } = await cancelDuringWait(t, 2)
  t.equal(status, 'ready')
  t.same(announced, ['accepted', 'cooking', 'cooking', 'ready'], 'the late cancel re-announces the current state')
})

t.test('an order still waiting for its station when the kitchen closes is handed back, uncooked', async (t) => {
  let onWait: (wait: number) => Promise<void> = async () => undefined
  const { kitchen, store, announced, job } = await buildKitchen(t, { onWait: (wait) => onWait(wait) })
  const order = buildOrder()
  onWait = async () => kitchen.handBackWaiting()
  await t.rejects(kitchen.prepare({ order, fingerprint: 'fp' }, job()), { code: 'HAND_BACK' })
  t.equal((await store.get(order.id))?.order.status, 'accepted', 'it resumes from accepted when delivered again')
  t.same(announced.map((a) => a.status), ['accepted'])
})
