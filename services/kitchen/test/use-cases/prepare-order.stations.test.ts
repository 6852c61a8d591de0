import t from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { buildKitchen, burgers, occupyTheGrill, waitFor } from '../support/kitchen-harness.js'

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
