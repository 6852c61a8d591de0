import t from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { DependencyUnavailableError } from '@restaurant/platform/runtime/errors'
import { buildKitchen, burgers, waitFor } from '../support/kitchen-harness.js'

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
