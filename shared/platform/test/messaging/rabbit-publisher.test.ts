import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { Greeting, outcome, setup, until, within, type Delivery } from './rabbit-harness.js'

t.test("a published message is confirmed and delivered once to the bound queue's consumer, with its correlation id", async (t) => {
  const { topology, connect, depth, depthAfterClose, losses } = await setup(t)
  const { waiterStatus, kitchenOrders } = topology.queues
  const { bus } = await connect()
  const received: Delivery[] = []
  await bus.consume(waiterStatus, Greeting, async (message, context) => void received.push({ message, context, at: Date.now() }))

  await within(5_000, 'the publisher confirm', bus.publish(waiterStatus.routingKey, { greeting: 'hello' }, 'corr-1'))
  await until('the delivery', () => received.length === 1)
  await sleep(200)

  t.equal(received.length, 1, 'delivered once')
  t.same(received[0]?.message, { greeting: 'hello' })
  t.equal(received[0]?.context.correlationId, 'corr-1')
  t.equal(received[0]?.context.resumes, false, 'a first delivery')
  t.equal(await depth(kitchenOrders.queue), 0, 'no other queue got it')
  await bus.cancelConsumers()
  await bus.close()
  t.equal(await depthAfterClose(waiterStatus.queue), 0, 'acked: nothing returned to the queue when the bus closed')
  t.equal(losses(), 0, 'the connection was never lost')
})

t.test('publishing with a routing key no queue is bound to is refused, not dropped', async (t) => {
  const { topology, connect, channel, depth, losses } = await setup(t)
  const { waiterStatus, kitchenOrders } = topology.queues
  const { bus } = await connect()
  await channel.unbindQueue(waiterStatus.queue, topology.exchange, waiterStatus.routingKey)

  await t.rejects(
    within(5_000, 'the refusal', bus.publish(waiterStatus.routingKey, { greeting: 'nobody listens' }, 'corr-6')),
    { code: 'UNROUTABLE_MESSAGE' },
  )
  await within(5_000, 'the confirm', bus.publish(kitchenOrders.routingKey, { greeting: 'somebody listens' }, 'corr-7'))
  t.equal(await depth(kitchenOrders.queue), 1, 'a routable publish on the same bus still lands')
  t.equal(await depth(waiterStatus.queue), 0)
  t.equal(losses(), 0, 'the connection was never lost')
})

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
