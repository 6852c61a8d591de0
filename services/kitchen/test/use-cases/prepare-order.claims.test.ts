import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { DependencyUnavailableError } from '@restaurant/platform/runtime/errors'
import { buildKitchen, burgers, heldElsewhere, othersClaim, waitFor } from '../support/kitchen-harness.js'

t.test('an order whose holder died mid-cooking is taken over once its lease ran out, and only its unfinished units are cooked', async (t) => {
  const { kitchen, store, job, finishedUnits, statusesOf } = await buildKitchen(t)
  const placed = buildOrder({ lines: [{ menuItemId: 'fries', name: 'Fries', station: 'fry', quantity: 2, unitPriceCents: 450, lineTotalCents: 900 }], totalCents: 900 })
  await store.insertIfAbsent({ order: withStatus(withStatus(placed, 'accepted'), 'cooking'), fingerprint: 'fp' })
  await othersClaim(store, placed.id)
  const done = { kitchen: 'gone', unit: 0, menuItemId: 'fries', startedAt: new Date(0).toISOString(), endedAt: new Date(1).toISOString() }
  await store.recordUnit(placed.id, 1, done)
  await store.settleUnit(placed.id, 1, 0, { endedAt: done.endedAt })
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

t.test('a step won by a delivery that failed before writing the ticket and announcing it is announced by the delivery that finds it', async (t) => {
  // As on MongoDB, where a step is won by its insert and the ticket written after: the first ready is won, then
  // the store fails before the ticket is written; the next writer of that version loses it and writes the ticket.
  let won: Order | undefined
  const built = await buildKitchen(t, {
    store: (real) => ({
      ...real,
      async replaceIfStatus(order, expected, fence) {
        if (order.status !== 'ready') return real.replaceIfStatus(order, expected, fence)
        if (won) return real.replaceIfStatus(won, expected, fence).then(() => false)
        won = order
        throw new DependencyUnavailableError('the ticket store')
      },
    }),
  })
  const order = buildOrder()
  await t.rejects(built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job()), { code: 'DEPENDENCY_UNAVAILABLE' })
  t.same(built.statusesOf(order.id), ['accepted', 'cooking'], 'the ready it won was never announced')
  await built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  t.equal((await built.store.get(order.id))?.order.status, 'ready')
  t.equal(built.statusesOf(order.id).at(-1), 'ready', 'the retry, which lost that step, announces where it led')
})
