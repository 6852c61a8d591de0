import t from 'tap'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { buildKitchen, occupyTheGrill, waitFor } from '../support/kitchen-harness.js'

t.test('a cancellation stored by another kitchen releases the order from its station wait at the next lease renewal', async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1, leaseMs: 3_000 })
  await occupyTheGrill(built)
  const order = buildOrder()
  const preparing = built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job())
  await waitFor(() => built.stations.waiting() === 1)
  const accepted = (await built.store.get(order.id))?.order
  if (!accepted) throw new Error('no ticket')
  t.ok(await built.store.replaceIfStatus(withStatus(accepted, 'cancelled'), 'accepted'), 'another kitchen cancels it')
  await built.clock.advance(1_000)
  await preparing
  t.equal(built.stations.waiting(), 0, 'released long before the grill frees at 8 s')
  t.equal(built.cooked.includes(order.id), false)
})
