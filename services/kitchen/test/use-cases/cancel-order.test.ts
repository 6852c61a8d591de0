import t from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { buildKitchen, burgers, occupyTheGrill, waitFor } from '../support/kitchen-harness.js'

t.test('a cancellation that arrives before the order is cancels it, and the order is never cooked', async (t) => {
  const { kitchen, store, announced, job, cooked } = await buildKitchen(t)
  const order = buildOrder()
  await kitchen.cancel({ order }, job())
  await kitchen.prepare({ order, fingerprint: 'fp' }, job())
  t.equal((await store.get(order.id))?.order.status, 'cancelled')
  t.same(announced.map((a) => a.status), ['cancelled', 'cancelled'])
  t.equal(cooked.length, 0)
})

t.test('a cancellation while the order waits for its station wakes it at once, and the next order takes its place', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1 })
  await occupyTheGrill(built)
  const cancelled = burgers(4)
  const next = burgers(1)
  const waitingOne = built.kitchen.prepare({ order: cancelled, fingerprint: 'fp' }, built.job())
  await waitFor(() => built.stations.waiting() === 1)
  const waitingNext = built.kitchen.prepare({ order: next, fingerprint: 'fp' }, built.job())
  await waitFor(() => built.stations.waiting() === 2)
  await built.kitchen.cancel({ order: cancelled }, built.job())
  await waitingOne
  t.same(built.statusesOf(cancelled.id), ['accepted', 'cancelled'], 'woken without the clock moving')
  t.notOk(built.cooked.includes(cancelled.id), 'never cooked')
  t.match(await built.store.claims(cancelled.id), [{ abandonedAt: String }], 'its claim ends as abandoned: it completed nothing')
  await built.clock.advance(8_000)
  await waitFor(() => built.stations.planOf(next.id) !== undefined)
  t.equal(built.stations.planOf(next.id)?.[0]?.startMs, 8_000, 'the next order starts as soon as the grill frees, not after the cancelled one')
  await built.clock.advance(8_000)
  await waitingNext
})

t.test('a cancellation once cooking has started changes nothing: the order is ready', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1 })
  const order = burgers(1)
  const preparing = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(async () => (await built.store.get(order.id))?.order.status === 'cooking')
  await built.kitchen.cancel({ order }, built.job())
  await built.clock.advance(8_000)
  await preparing
  t.equal((await built.store.get(order.id))?.order.status, 'ready')
  t.same(built.statusesOf(order.id), ['accepted', 'cooking', 'cooking', 'ready'], 'the late cancel re-announces the current state')
})

t.test('a cancellation logs what it did: cancelled, or too late with where the order stands', async (t) => {
  const { kitchen, job, logs } = await buildKitchen(t)
  const cancelled = buildOrder()
  await kitchen.cancel({ order: cancelled }, job())
  const ready = buildOrder()
  await kitchen.prepare({ order: ready, fingerprint: 'fp' }, job())
  await kitchen.cancel({ order: ready }, job())
  t.match(logs.filter((line) => line.msg.startsWith('cancel') || line.msg === 'order cancelled'), [
    { msg: 'order cancelled', orderId: cancelled.id },
    { msg: 'cancellation too late; the order goes on', orderId: ready.id, status: 'ready' },
  ])
})
