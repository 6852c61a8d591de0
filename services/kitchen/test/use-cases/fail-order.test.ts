import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { DependencyUnavailableError } from '@restaurant/platform/runtime/errors'
import { buildKitchen, heldElsewhere, othersClaim } from '../support/kitchen-harness.js'

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
