import t from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { DependencyUnavailableError } from '@restaurant/platform/runtime/errors'
import { buildKitchen, burgers, heldElsewhere, othersClaim, waitFor } from '../support/kitchen-harness.js'

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

t.test("a unit's end that the store fails to take at first is written again: the witness does not lose a unit cooked", async (t) => {
  let refusals = 2
  const built = await buildKitchen(t, {
    store: (real) => ({
      ...real,
      settleUnit: async (orderId, claim, unit, end) =>
        'endedAt' in end && refusals-- > 0 ? Promise.reject(new DependencyUnavailableError('the ticket store')) : real.settleUnit(orderId, claim, unit, end),
    }),
  })
  const order = buildOrder()
  const preparing = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(async () => refusals < 0 || (await built.store.get(order.id))?.order.status === 'ready' || (await built.clock.advance(50), false))
  await preparing
  t.equal((await built.store.get(order.id))?.order.status, 'ready')
  t.same(await built.finishedUnits(order.id), [1], 'its end was recorded on the third try')
})

t.test("a unit's end that reaches the store after a takeover closed the claim is refused: the holder stops, the taker cooks it once", async (t) => {
  let releaseEnd = () => {}
  const endHeld = new Promise<void>((resolve) => (releaseEnd = resolve))
  const built = await buildKitchen(t, {
    speedFactor: 1,
    // The store takes the end late, as one whose writes queue behind a lock would.
    store: (real) => ({ ...real, settleUnit: async (...args) => ('endedAt' in args[3] ? endHeld.then(() => real.settleUnit(...args)) : real.settleUnit(...args)) }),
  })
  const order = burgers(1)
  const preparing = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(async () => (await built.store.cookedUnits(order.id)).length === 1)
  await built.clock.advance(8_000)
  // Meanwhile another kitchen, counting this one's lease run out, took the order over and closed its claim.
  await othersClaim(built.store, order.id, { number: 2 })
  await built.store.closeEarlierClaims(order.id, 2, 1, new Date(9_000).toISOString())
  releaseEnd()
  await t.rejects(preparing, heldElsewhere, 'the holder stops: the unit is not its to finish')
  t.same(await built.finishedUnits(order.id), [], 'no unit finished: the taker, which read the witness after its close, cooks it')
  t.match(await built.store.cookedUnits(order.id), [{ kitchen: 'kitchen-1', abandonedAt: new Date(9_000).toISOString() }])
})

t.test('a claim lost while its start is written cooks nothing: the unit is abandoned at its start', async (t) => {
  let releaseStart = () => {}
  let startWritten = false
  const startHeld = new Promise<void>((resolve) => (releaseStart = resolve))
  const built = await buildKitchen(t, {
    speedFactor: 1,
    store: (real) => ({ ...real, recordUnit: async (...args) => ((startWritten = true), startHeld.then(() => real.recordUnit(...args))) }),
  })
  const order = burgers(1)
  const channel = new AbortController()
  const preparing = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job(channel.signal))
  await waitFor(() => startWritten)
  await built.clock.advance(2_000)
  channel.abort(new Error('the channel closed'))
  releaseStart()
  await t.rejects(preparing, /channel closed/)
  t.match(await built.store.cookedUnits(order.id), [{ startedAt: new Date(0).toISOString(), abandonedAt: new Date(0).toISOString() }])
})
