import t from 'tap'
import { outcome, within } from './bus-harness.js'
import { setup } from './rabbit-harness.js'

t.test('publishes beyond maxPendingPublishes are refused at once with BROKER_BUSY', async (t) => {
  const { topology, connect, depth, losses } = await setup(t)
  const { kitchenOrders } = topology.queues
  const { bus } = await connect({ maxPendingPublishes: 1 })

  const started = Date.now()
  const publishes = Array.from({ length: 50 }, (_, i) => bus.publish(kitchenOrders.routingKey, { greeting: `burst ${i}` }, `corr-burst-${i}`))
  const firstRefusal = await within(5_000, 'a refusal', Promise.any(publishes.map((p) => p.then(() => Promise.reject(new Error('confirmed')), () => Date.now()))))
  const outcomes = await within(10_000, 'every publish to settle', Promise.all(publishes.map(outcome)))

  const busy = outcomes.filter((o) => o === 'BROKER_BUSY').length
  const confirmed = outcomes.filter((o) => o === 'confirmed').length
  t.ok(busy >= 1, `${busy} of 50 refused as busy`)
  t.ok(confirmed >= 1, `${confirmed} of 50 confirmed`)
  t.equal(busy + confirmed, 50, `no other outcome: ${[...new Set(outcomes)].join(', ')}`)
  t.ok(firstRefusal - started < 1_000, `the first refusal came at once, not after a confirm timeout (${firstRefusal - started} ms)`)
  t.equal(await depth(kitchenOrders.queue), confirmed, 'exactly the confirmed ones reached the queue')
  await within(5_000, 'a publish once the burst is over', bus.publish(kitchenOrders.routingKey, { greeting: 'later' }, 'corr-later'))
  t.equal(losses(), 0, 'the connection was never lost')
})
