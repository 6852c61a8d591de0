import { randomBytes, randomUUID } from 'node:crypto'
import amqp from 'amqplib'
import t from 'tap'
import { deadLetterQueueFor, routingKeys, topologyFor } from '@restaurant/contracts/messages'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { assertCookedOnce } from '../support/crash-run.js'
import { AMQP_URL, eventually, queueDepth } from '../support/isolation.js'
import { placeOrders } from '../support/order-client.js'
import { allTickets, scoreRun, summary } from '../support/scoring.js'
import { startStack } from '../support/stack.js'

/** Three kinds of poison: bytes that are not JSON, JSON of the wrong shape, and orders no handler can cook. */
function poison(index: number): Buffer {
  if (index % 3 === 0) return randomBytes(64)
  if (index % 3 === 1) return Buffer.from(JSON.stringify({ order: { id: randomUUID(), lines: 'many' } }))
  // Accepted already, with an item the menu does not have: cooking it always throws.
  const order = withStatus(buildOrder({ lines: [{ menuItemId: 'unicorn-steak', name: 'Unicorn', station: 'grill', quantity: 1, unitPriceCents: 1, lineTotalCents: 1 }] }), 'accepted')
  return Buffer.from(JSON.stringify({ order, fingerprint: 'poison' }))
}

t.test('100 poison messages among 2,000 good orders: all 100 dead-lettered, no good order lost, queues drained', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0', AMQP_RETRY_DELAYS_MS: '100,300' })
  t.teardown(stack.stop)
  const topology = topologyFor(stack.run.namespace)
  const connection = await amqp.connect(AMQP_URL)
  t.teardown(() => connection.close())
  const channel = await connection.createConfirmChannel()

  const load = placeOrders(() => stack.gateway.url, 2_000, { concurrency: 20, keyPrefix: 'poison', deadlineMs: Date.now() + 120_000 })
  for (let i = 0; i < 100; i++) {
    channel.publish(topology.exchange, routingKeys.orderPlaced, poison(i), { persistent: true, correlationId: `poison-${i}` })
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  await channel.waitForConfirms()
  const records = await load
  const score = await scoreRun(records, stack.records, 60_000)

  const dead = deadLetterQueueFor(topology.queues.kitchenOrders.queue)
  const deadLetters = await eventually(async () => {
    const depth = await queueDepth(dead)
    return depth >= 100 ? depth : undefined
  }, 30_000, '100 dead letters').catch(async () => queueDepth(dead))
  const poisonedOrders = score.unexpected.length
  t.comment(summary('poison messages', score, { poisonPublished: 100, deadLetters }))
  t.equal(deadLetters, 100, 'every poison message and only those are dead-lettered')
  t.equal(score.accepted, 2_000)
  t.same(score.lost, [], 'no good order is lost')
  t.equal(poisonedOrders, 33, 'the uncookable orders are the only tickets no client placed')
  const failed = (await allTickets(stack.kitchen.url)).filter((order) => score.unexpected.includes(order.id) && order.status === 'failed')
  t.equal(failed.length, 33, 'and each of them is marked failed for its customer to see')
  assertCookedOnce(t, score)
  t.equal(await queueDepth(topology.queues.kitchenOrders.queue), 0, 'the work queue is drained')
  t.match(stack.outputs('kitchen'), /malformed message dead-lettered/)
  t.match(stack.outputs('kitchen'), /failed through every retry; dead-lettered/)
})
