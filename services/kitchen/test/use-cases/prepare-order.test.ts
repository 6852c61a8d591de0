import t from 'tap'
import { menu as realMenu } from '@restaurant/contracts/menu'
import { buildOrder } from '@restaurant/contracts/testing'
import { DependencyUnavailableError } from '@restaurant/platform/runtime/errors'
import { buildKitchen } from '../support/kitchen-harness.js'

t.test('a placed order is accepted, cooked and ready, each step stored, announced and counted in its version', async (t) => {
  const { kitchen, store, announced, job, finishedUnits, metrics } = await buildKitchen(t)
  const order = buildOrder()
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.same(announced.map((a) => [a.status, a.version]), [['accepted', 2], ['cooking', 3], ['ready', 4]])
  const ticket = await store.get(order.id)
  t.equal(ticket?.order.status, 'ready')
  t.same(ticket?.order.history.map((h) => h.status), ['placed', 'accepted', 'cooking', 'ready'])
  t.equal(ticket?.committedBy, 1, 'the ready step was written under the first claim')
  t.match(await store.cookedUnits(order.id), [{ kitchen: 'kitchen-1', unit: 0, menuItemId: 'classic-burger', endedAt: String }], 'the witness')
  t.same(await finishedUnits(order.id), [1])
  t.match(ticket?.order.result, { items: [{ menuItemId: 'classic-burger', station: 'grill' }] })
  t.equal((await metrics.claims.get()).values.find((v) => v.labels.outcome === 'taken')?.value, 1)
})

t.test('an announcement the broker refuses fails the delivery once the cooking is done; the retry announces the ticket', async (t) => {
  let refusals = 1
  const { kitchen, store, announced, job, finishedUnits } = await buildKitchen(t, { refuse: (order) => order.status === 'accepted' && refusals-- > 0 })
  const order = buildOrder()
  await t.rejects(kitchen.prepare({ order, fingerprint: 'fp' }, job()), /nacked/)
  t.equal((await store.get(order.id))?.order.status, 'ready', 'the cooking went on meanwhile')
  t.same(announced.map((a) => a.status), ['cooking', 'ready'])
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.same(announced.at(-1), { id: order.id, status: 'ready', version: 4 }, 'the retry announces where the ticket stands')
  t.same(await finishedUnits(order.id), [1])
})

t.test('an order delivered again once ready is announced again but not cooked again', async (t) => {
  const { kitchen, announced, job, finishedUnits } = await buildKitchen(t)
  const order = buildOrder()
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.same(await finishedUnits(order.id), [1])
  t.same(announced.at(-1), { id: order.id, status: 'ready', version: 4 })
})

t.test('an order with a sold-out item is rejected with the reason and never cooked', async (t) => {
  const soldOut = realMenu.map((item) => (item.id === 'classic-burger' ? { ...item, available: false } : item))
  const { kitchen, store, announced, job, cooked } = await buildKitchen(t, { menu: soldOut })
  const order = buildOrder()
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.same(announced.map((a) => a.status), ['rejected'])
  t.match((await store.get(order.id))?.order, { status: 'rejected', reason: 'sold out: classic-burger' })
  t.equal(cooked.length, 0)
})

t.test('a store that fails at the last step makes the delivery fail as unavailable; trying again finishes without cooking again', async (t) => {
  let failReady = true
  const built = await buildKitchen(t, {
    store: (store) => ({
      ...store,
      replaceIfStatus: async (order, expected, fence) => {
        if (order.status === 'ready' && failReady) throw new DependencyUnavailableError('the ticket store')
        return store.replaceIfStatus(order, expected, fence)
      },
    }),
  })
  const order = buildOrder()
  await t.rejects(built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job()), { code: 'DEPENDENCY_UNAVAILABLE' })
  failReady = false
  await built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  t.equal((await built.store.get(order.id))?.order.status, 'ready')
  t.same(await built.finishedUnits(order.id), [1], 'cooked once: the witness said the unit was done')
})

t.test('each step the kitchen commits is logged once, as a constant message with the order and its status', async (t) => {
  const { kitchen, job, logs } = await buildKitchen(t)
  const order = buildOrder()
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  const moves = logs.filter((line) => line.msg === 'order status changed')
  t.same(moves.map(({ orderId, status }) => ({ orderId, status })), ['accepted', 'cooking', 'ready'].map((status) => ({ orderId: order.id, status })))
})
