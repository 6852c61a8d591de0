import t from 'tap'
import { Registry } from 'prom-client'
import { createKitchenLease } from '../../src/adapters/kitchen-lease.js'
import { createKitchenMetrics } from '../../src/adapters/kitchen-metrics.js'
import type { KitchenLease } from '../../src/domain/claims.js'
import { createFakeClock } from '../support/fake-clock.js'

/** A lease on a fake clock over a store of leases in memory whose renewals the test can make fail. */
function leaseOnFakes(leaseMs = 3_000) {
  const clock = createFakeClock()
  const leases = new Map<string, KitchenLease>()
  const store = {
    renewals: true,
    insertLease: async (lease: KitchenLease) => void leases.set(lease.id, lease),
    renewLease: async (id: string, expiresAt: number) => {
      if (!store.renewals) throw new Error('the store is away')
      leases.set(id, { ...leases.get(id)!, expiresAt })
    },
  }
  const metrics = createKitchenMetrics(new Registry())
  const keeper = createKitchenLease({ store, kitchen: 'k', leaseMs, clock, metrics })
  return { clock, leases, store, metrics, keeper }
}

t.test('one lease serves every claim, stored once and renewed every third of its length', async (t) => {
  const { clock, leases, metrics, keeper } = leaseOnFakes()
  t.teardown(keeper.close)
  const term = await keeper.term()
  t.equal(await keeper.term(), term, 'the same lease for the next claim')
  t.match([...leases.values()], [{ kitchen: 'k', expiresAt: 3_000 }])
  t.equal(term.heldUntil, 2_700, 'held until a tenth before it ends')
  await clock.advance(1_000)
  t.equal(leases.get(term.lease.id)?.expiresAt, 4_000, 'renewed at 1 s')
  await clock.advance(1_000)
  t.equal(leases.get(term.lease.id)?.expiresAt, 5_000, 'and at 2 s')
  t.equal((await metrics.renewals.get()).values[0]?.value, 2)
})

t.test('a lease not renewed in time is lost before it ends, and the next term is a new lease', async (t) => {
  const { clock, store, keeper } = leaseOnFakes()
  t.teardown(keeper.close)
  const term = await keeper.term()
  store.renewals = false
  await clock.advance(2_700)
  t.match(term.lost.signal.reason, { code: 'HELD_ELSEWHERE', retryAfterMs: 0 })
  t.not((await keeper.term()).lease.id, term.lease.id)
})

t.test('a holder that finds its lease past its hold counts it lost at once', async (t) => {
  const { clock, keeper } = leaseOnFakes()
  t.teardown(keeper.close)
  const term = await keeper.term()
  keeper.lapseIfDue(term)
  t.equal(term.lost.signal.aborted, false)
  term.heldUntil = clock.now()
  keeper.lapseIfDue(term)
  t.equal(term.lost.signal.aborted, true)
})

t.test('a closed lease is no longer renewed', async (t) => {
  const { clock, leases, keeper } = leaseOnFakes()
  const term = await keeper.term()
  keeper.close()
  await clock.advance(5_000)
  t.equal(leases.get(term.lease.id)?.expiresAt, 3_000)
})
