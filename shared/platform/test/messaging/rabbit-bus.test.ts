import t from 'tap'
import { routingKeys } from '@restaurant/contracts/messages'
import { broadcastContract } from './broadcast.contract.js'
import { busContract } from './bus.contract.js'
import { gate, Greeting, until, type Delivery } from './bus-harness.js'
import { ownQueuesOf } from './bus-harness.js'
import { queueProperties, queuesBoundTo, rabbitHarness, setup } from './rabbit-harness.js'

busContract(rabbitHarness)
broadcastContract(rabbitHarness)

t.test('a message is acked only after its handler resolves: the queue holds it as unacked until then', async (t) => {
  const { topology, connect, channel, depth, losses } = await setup(t)
  const { waiterStatus } = topology.queues
  const held = gate()
  t.teardown(held.open)

  const { bus: first } = await connect()
  const received: Delivery[] = []
  await first.consume(waiterStatus, Greeting, async (message, context) => {
    received.push({ message, context, at: Date.now() })
    await held.opened
  })
  await first.publish(waiterStatus.routingKey, { greeting: 'hold me' }, 'corr-2')
  await until('the first delivery', () => received.length === 1)

  const whileHeld = await channel.checkQueue(waiterStatus.queue)
  t.equal(whileHeld.messageCount, 0, 'not ready for anyone else while the handler runs')
  t.equal(whileHeld.consumerCount, 1)
  await first.close()
  await until('the unacked message to return to the queue', async () => (await depth(waiterStatus.queue)) === 1)

  const { bus: second } = await connect()
  await second.consume(waiterStatus, Greeting, async (message, context) => void received.push({ message, context, at: Date.now() }))
  await until('the redelivery', () => received.length === 2)
  t.equal(received[0]?.context.resumes, false)
  t.same(received[1]?.message, { greeting: 'hold me' })
  t.equal(received[1]?.context.resumes, true)
  t.equal(received[1]?.context.correlationId, 'corr-2')
  t.equal(losses(), 0, 'the connection was never lost')
})

t.test("an instance's queue for a broadcast is classic, exclusive, auto-delete and transient", async (t) => {
  const { topology, connect } = await setup(t)
  const { bus } = await connect()
  await bus.subscribe(routingKeys.menuChanged, Greeting, async () => undefined)
  const [queue = 'none'] = ownQueuesOf(topology, await queuesBoundTo(topology.exchange, routingKeys.menuChanged))
  t.match(queue, /^amq\.gen-/, 'named by the broker')
  t.same(await queueProperties(queue), { type: 'classic', exclusive: 'true', auto_delete: 'true', durable: 'false' })
})
