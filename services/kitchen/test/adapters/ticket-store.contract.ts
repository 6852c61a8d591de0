import type { Test } from 'tap'
import type { OrderStatus } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'
import type { ListQuery, TicketStore } from '../../src/use-cases/ticket-store.js'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import type { StoreSpec } from './store-spec.js'
import { claimsContract } from './ticket-store-claims.contract.js'
import { raceContract } from './ticket-store-race.contract.js'

export interface StoreUnderTest {
  /** A fresh, empty store for one test; registers its own cleanup on `t`. */
  makeStore: (t: Test) => Promise<TicketStore>
  /**
   * Persistent stores only: a fresh store, a way to open its data again once that store is closed, and what
   * another process needs to open it too. Without it the survival test and the cross-process race are skipped.
   */
  makeReopenableStore?: (t: Test) => Promise<{ store: TicketStore; reopen: () => Promise<TicketStore>; spec: StoreSpec }>
}

/** The behaviour every TicketStore adapter must have; each test runs against a fresh store. */
export function ticketStoreContract(t: Test, subject: StoreUnderTest): void {
  const { makeStore } = subject

  t.test('an inserted ticket is read back exactly, without storage fields', async (t) => {
    const store = await makeStore(t)
    const ticket = { order: buildOrder({ table: '7' }), fingerprint: 'fp-1' }
    t.strictSame(await store.insertIfAbsent(ticket), { created: true, ticket })
    t.strictSame(await store.get(ticket.order.id), ticket)
  })

  t.test('a ticket inserted without a fingerprint comes back without one', async (t) => {
    const store = await makeStore(t)
    const order = buildOrder()
    await store.insertIfAbsent({ order })
    t.strictSame(await store.get(order.id), { order })
  })

  t.test('a second insert of the same order id keeps the first ticket', async (t) => {
    const store = await makeStore(t)
    const first = { order: buildOrder(), fingerprint: 'first' }
    await store.insertIfAbsent(first)
    const second = { order: moved(first.order, 'cancelled'), fingerprint: 'second' }
    t.strictSame(await store.insertIfAbsent(second), { created: false, ticket: first })
    t.strictSame(await store.get(first.order.id), first)
  })

  t.test('concurrent inserts of one order id create exactly one ticket', async (t) => {
    const store = await makeStore(t)
    const order = buildOrder()
    const attempts = Array.from({ length: 10 }, (_, i) => ({ order, fingerprint: `attempt-${i}` }))
    const results = await Promise.all(attempts.map((ticket) => store.insertIfAbsent(ticket)))
    const winners = results.filter((result) => result.created)
    t.equal(winners.length, 1)
    const stored = await store.get(order.id)
    t.strictSame(results.map((result) => result.ticket), results.map(() => stored), 'all return the stored ticket')
    t.strictSame(await store.list({ limit: 100 }), [order])
  })

  t.test('an order stored before orders carried a version reads with the version its history implies', async (t) => {
    const store = await makeStore(t)
    const { version: _version, ...unversioned } = withStatus(buildOrder(), 'accepted')
    await store.insertIfAbsent({ order: unversioned as Order })
    t.equal((await store.get(unversioned.id))?.order.version, 2)
    t.same((await store.list({ limit: 10 })).map((order) => order.version), [2])
  })

  t.test('get returns undefined for an unknown id', async (t) => {
    const store = await makeStore(t)
    await store.insertIfAbsent({ order: buildOrder() })
    t.equal(await store.get(buildOrder().id), undefined)
  })

  t.test('replaceIfStatus moves the order only from the expected status', async (t) => {
    const store = await makeStore(t)
    const placed = buildOrder()
    await store.insertIfAbsent({ order: placed, fingerprint: 'fp' })
    const accepted = moved(placed, 'accepted')
    t.equal(await store.replaceIfStatus(accepted, 'placed'), true)
    t.equal(await store.replaceIfStatus(moved(placed, 'cancelled'), 'placed'), false)
    t.strictSame(await store.get(placed.id), { order: accepted, fingerprint: 'fp' })
  })

  t.test('replaceIfStatus does not create a ticket for an unknown order', async (t) => {
    const store = await makeStore(t)
    const order = buildOrder()
    t.equal(await store.replaceIfStatus(moved(order, 'accepted'), 'placed'), false)
    t.equal(await store.get(order.id), undefined)
  })

  t.test('concurrent transitions from the same status: exactly one wins', async (t) => {
    const store = await makeStore(t)
    const placed = buildOrder()
    await store.insertIfAbsent({ order: placed })
    const targets: OrderStatus[] = ['accepted', 'rejected', 'cancelled', 'failed']
    const candidates = Array.from({ length: 10 }, (_, i) => moved(placed, targets[i % targets.length] ?? 'failed', i))
    const outcomes = await Promise.all(candidates.map((order) => store.replaceIfStatus(order, 'placed')))
    t.equal(outcomes.filter(Boolean).length, 1)
    t.strictSame(await store.get(placed.id), { order: candidates[outcomes.indexOf(true)] })
  })

  t.test('list is newest first and pages with the cursor without gaps or repeats', async (t) => {
    const store = await makeStore(t)
    // 25 orders over 8 instants: both page boundaries fall among orders placed at the same instant.
    const orders = Array.from({ length: 25 }, (_, i) => buildOrder({ placedAt: instant(i % 8) }))
    await insertAll(store, orders)
    const pages = await listPages(store, 10)
    t.strictSame(pages.map((page) => page.length), [10, 10, 5])
    t.strictSame(pages.flat(), newestFirst(orders))
  })

  t.test('list filters by status, also across pages', async (t) => {
    const store = await makeStore(t)
    const statuses: OrderStatus[] = ['placed', 'accepted', 'cooking']
    const orders = Array.from({ length: 15 }, (_, i) => buildOrder({ placedAt: instant(i % 4), status: statuses[i % 3] }))
    await insertAll(store, orders)
    const accepted = newestFirst(orders.filter((order) => order.status === 'accepted'))
    t.strictSame(await store.list({ status: 'accepted', limit: 100 }), accepted)
    const last = accepted[1]
    const after = last && { placedAt: last.placedAt, id: last.id }
    t.strictSame(await store.list({ status: 'accepted', limit: 100, ...(after && { after }) }), accepted.slice(2))
  })

  t.test('list filters by owner, alone, with a status and across pages', async (t) => {
    const store = await makeStore(t)
    const owners = ['alice', 'bob']
    const orders = Array.from({ length: 12 }, (_, i) => buildOrder({ placedAt: instant(i % 5), owner: owners[i % 2], status: i % 4 < 2 ? 'placed' : 'accepted' }))
    await insertAll(store, orders)
    const alices = newestFirst(orders.filter((order) => order.owner === 'alice'))
    t.strictSame(await store.list({ owner: 'alice', limit: 100 }), alices)
    t.strictSame(await store.list({ owner: 'alice', status: 'accepted', limit: 100 }), alices.filter((order) => order.status === 'accepted'))
    const last = alices[2]
    const after = last && { placedAt: last.placedAt, id: last.id }
    t.strictSame(await store.list({ owner: 'alice', limit: 100, ...(after && { after }) }), alices.slice(3))
    t.strictSame(await store.list({ owner: 'carol', limit: 100 }), [])
  })

  t.test('a moved order is listed under its new status only', async (t) => {
    const store = await makeStore(t)
    const placed = buildOrder()
    await store.insertIfAbsent({ order: placed })
    const accepted = moved(placed, 'accepted')
    await store.replaceIfStatus(accepted, 'placed')
    t.strictSame(await store.list({ status: 'accepted', limit: 10 }), [accepted])
    t.strictSame(await store.list({ status: 'placed', limit: 10 }), [])
  })

  t.test('a limit of zero lists no orders', async (t) => {
    const store = await makeStore(t)
    await store.insertIfAbsent({ order: buildOrder() })
    t.strictSame(await store.list({ limit: 0 }), [])
  })

  t.test('ping resolves while the store is open and rejects once it is closed', async (t) => {
    const store = await makeStore(t)
    await t.resolves(store.ping())
    await store.close()
    await t.rejects(store.ping())
  })

  claimsContract(t, makeStore)

  const { makeReopenableStore } = subject
  const skip = makeReopenableStore ? false : 'this store cannot be reopened over the same data'
  if (makeReopenableStore) raceContract(t, makeReopenableStore)
  t.test('a ticket survives reopening the store', { skip }, async (t) => {
    if (!makeReopenableStore) return
    const { store, reopen } = await makeReopenableStore(t)
    const placed = buildOrder()
    await store.insertIfAbsent({ order: placed, fingerprint: 'fp' })
    const accepted = moved(placed, 'accepted')
    await store.replaceIfStatus(accepted, 'placed')
    await store.close()
    const reopened = await reopen()
    t.strictSame(await reopened.get(placed.id), { order: accepted, fingerprint: 'fp' })
    const again = await reopened.insertIfAbsent({ order: placed })
    t.equal(again.created, false, 'the order id is still unique')
    t.strictSame(await reopened.list({ limit: 10 }), [accepted])
  })
}

function moved(order: Order, status: OrderStatus, seconds = 0): Order {
  return { ...order, status, history: [...order.history, { status, at: instant(60 + seconds) }], version: order.version + 1 }
}

function instant(seconds: number): string {
  return new Date(Date.UTC(2026, 0, 1, 12, 0, seconds)).toISOString()
}

/** Follows the cursor from the newest order; stops after 10 pages in case a store ignores the cursor. */
async function listPages(store: TicketStore, limit: number): Promise<Order[][]> {
  const pages: Order[][] = []
  let after: ListQuery['after']
  while (pages.length < 10) {
    const page = await store.list({ limit, ...(after && { after }) })
    pages.push(page)
    const last = page.at(-1)
    if (!last || page.length < limit) break
    after = { placedAt: last.placedAt, id: last.id }
  }
  return pages
}

/** One at a time in a shuffled order, so that insertion order cannot stand in for the sort. */
async function insertAll(store: TicketStore, orders: Order[]): Promise<void> {
  const shuffled = [...orders].sort((a, b) => (a.id < b.id ? -1 : 1))
  for (const order of shuffled) await store.insertIfAbsent({ order })
}

function newestFirst(orders: Order[]): Order[] {
  const key = (order: Order) => `${order.placedAt} ${order.id}`
  return [...orders].sort((a, b) => (key(a) < key(b) ? 1 : -1))
}
