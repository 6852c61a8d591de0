import type { ChannelModel } from 'amqplib'
import t, { type Test } from 'tap'
import { deadLetterQueueFor, routingKeys } from '@restaurant/contracts/messages'
import { assertTopology, delayQueuesFor, deleteTopology } from '../../src/messaging/rabbit-topology.js'
import { until } from './bus-harness.js'
import { declaredTopology } from './rabbit-harness.js'

const policy = { deliveryLimit: 2, retryDelaysMs: [100, 300], setAsideMs: 200 }

/** A topology of its own, deleted at teardown, and a way to put a message on one of its queues. */
async function declared(t: Test) {
  const declaration = await declaredTopology(t, policy)
  const send = async (queue: string, text: string) => {
    declaration.channel.sendToQueue(queue, Buffer.from(text), { persistent: true })
    await declaration.channel.waitForConfirms()
  }
  return { ...declaration, send }
}

/** Whether the queue exists: checked on a channel of its own, since a failed check closes its channel. */
async function exists(connection: ChannelModel, queue: string): Promise<boolean> {
  const channel = await connection.createChannel()
  channel.on('error', () => undefined)
  return channel.checkQueue(queue).then(
    async () => (await channel.close(), true),
    () => false,
  )
}

t.test('each work queue takes the messages of its routing key, and only those', async (t) => {
  const { topology, channel, depth } = await declared(t)
  channel.publish(topology.exchange, routingKeys.cancelOrder, Buffer.from('cancel'), { persistent: true })
  await channel.waitForConfirms()
  t.equal(await depth(topology.queues.kitchenCancellations.queue), 1)
  t.equal(await depth(topology.queues.kitchenOrders.queue), 0)
  t.equal(await depth(topology.queues.waiterStatus.queue), 0)
})

t.test('a work queue is a quorum queue, and declaring it otherwise is refused', async (t) => {
  const { topology, connection } = await declared(t)
  const channel = await connection.createChannel()
  channel.on('error', () => undefined)
  await t.rejects(channel.assertQueue(topology.queues.kitchenOrders.queue, { durable: true, arguments: { 'x-queue-type': 'classic' } }), /PRECONDITION_FAILED/)
})

t.test('a message a work queue rejects goes to its own dead-letter queue, saying why', async (t) => {
  const { topology, channel, depth, send } = await declared(t)
  const { queue } = topology.queues.kitchenOrders
  await send(queue, 'poison')
  const message = await channel.get(queue)
  if (!message) throw new Error('the message was not on its queue')
  channel.nack(message, false, false)
  await until('the dead letter', async () => (await depth(deadLetterQueueFor(queue))) === 1)
  const dead = await channel.get(deadLetterQueueFor(queue), { noAck: true })
  t.equal(dead && dead.content.toString(), 'poison')
  t.match(dead && dead.properties.headers?.['x-death'], [{ queue, reason: 'rejected' }])
  t.equal(await depth(deadLetterQueueFor(topology.queues.waiterStatus.queue)), 0, 'not onto another queue\'s dead letters')
})

t.test('a message returned more often than the delivery limit is dead-lettered', async (t) => {
  const { topology, channel, depth, send } = await declared(t)
  const { queue } = topology.queues.waiterStatus
  await send(queue, 'crash loop')
  let deliveries = 0
  // Bounded, so that a queue without a limit fails the test rather than loop forever.
  for (let message = await channel.get(queue); message && deliveries < 10; message = await channel.get(queue)) {
    deliveries += 1
    channel.nack(message, false, true)
    await until('the return to count', async () => (await depth(queue)) + (await depth(deadLetterQueueFor(queue))) === 1)
  }
  t.equal(deliveries, policy.deliveryLimit + 1, 'the first delivery and as many returns as the limit allows')
  await until('the dead letter', async () => (await depth(deadLetterQueueFor(queue))) === 1)
  const dead = await channel.get(deadLetterQueueFor(queue), { noAck: true })
  t.match(dead && dead.properties.headers?.['x-death'], [{ queue, reason: 'delivery_limit' }])
})

t.test('each retry and set-aside queue holds a message for its delay, then sends it back to its work queue', async (t) => {
  const { topology, channel, depth, send } = await declared(t)
  const { queue } = topology.queues.kitchenOrders
  const delayed = delayQueuesFor(queue, policy)
  t.same(delayed.map(({ role, delayMs }) => [role, delayMs]), [['retry', 100], ['retry', 300], ['set_aside', 200]])
  for (const { name, delayMs } of delayed) {
    const sent = Date.now()
    await send(name, name)
    await until('the message back on its work queue', async () => (await depth(queue)) === 1, 5_000)
    t.ok(Date.now() - sent >= delayMs * 0.9, 'not before its delay')
    const back = await channel.get(queue, { noAck: true })
    t.equal(back && back.content.toString(), name)
  }
})

t.test('declaring the topology again changes nothing and keeps the messages it holds', async (t) => {
  const { topology, channel, depth, send } = await declared(t)
  await send(topology.queues.kitchenOrders.queue, 'kept')
  await assertTopology(channel, topology, policy)
  t.equal(await depth(topology.queues.kitchenOrders.queue), 1)
})

t.test('deleting the topology removes every queue and both exchanges', async (t) => {
  const { topology, connection, channel } = await declared(t)
  const queues = Object.values(topology.queues).flatMap(({ queue }) => [queue, deadLetterQueueFor(queue), ...delayQueuesFor(queue, policy).map(({ name }) => name)])
  const existing = async () => (await Promise.all(queues.map(async (queue) => ((await exists(connection, queue)) ? [queue] : [])))).flat()
  t.same(await existing(), queues, 'all declared first')
  await deleteTopology(channel, topology, policy)
  t.same(await existing(), [], 'then gone')
  const check = await connection.createChannel()
  check.on('error', () => undefined)
  await t.rejects(check.checkExchange(topology.exchange), /NOT_FOUND/)
  const checkDead = await connection.createChannel()
  checkDead.on('error', () => undefined)
  await t.rejects(checkDead.checkExchange(topology.deadLetterExchange), /NOT_FOUND/)
})
