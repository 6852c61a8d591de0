import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { DependencyUnavailableError } from '@restaurant/platform/runtime/errors'
import { buildKitchen, burgers, heldElsewhere, waitFor } from '../support/kitchen-harness.js'

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
