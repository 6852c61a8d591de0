import t from 'tap'
import { buildKitchen, burgers, heldElsewhere, othersClaim, waitFor } from '../support/kitchen-harness.js'

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
