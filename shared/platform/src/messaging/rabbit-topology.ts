import type { Channel } from 'amqplib'
import { deadLetterQueueFor, routingKeysOf, type Topology } from '@restaurant/contracts/messages'
import { delayQueuesFor, type QueuePolicy } from './queue-policy.js'

export { delayQueuesFor, retryQueueFor, setAsideQueueFor, type QueuePolicy } from './queue-policy.js'

const quorum = { 'x-queue-type': 'quorum' }
// At-least-once dead-lettering needs reject-publish overflow; without it a dead letter may be dropped.
const safeDeadLettering = { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' }

/**
 * Declares the exchanges and the quorum queues: each work queue dead-letters to its own `.dead` queue
 * after `deliveryLimit` deliveries or an explicit reject, and has one retry queue per delay and one
 * set-aside queue, whose messages expire back into it through the default exchange.
 */
export async function assertTopology(channel: Channel, topology: Topology, policy: QueuePolicy): Promise<void> {
  await channel.assertExchange(topology.exchange, 'topic', { durable: true })
  await channel.assertExchange(topology.deadLetterExchange, 'direct', { durable: true })
  for (const binding of Object.values(topology.queues)) {
    const { queue } = binding
    const dead = deadLetterQueueFor(queue)
    await channel.assertQueue(dead, { durable: true, arguments: quorum })
    await channel.bindQueue(dead, topology.deadLetterExchange, queue)
    await channel.assertQueue(queue, {
      durable: true,
      arguments: {
        ...quorum,
        ...safeDeadLettering,
        'x-dead-letter-exchange': topology.deadLetterExchange,
        'x-dead-letter-routing-key': queue,
        'x-delivery-limit': policy.deliveryLimit,
      },
    })
    for (const routingKey of routingKeysOf(binding)) await channel.bindQueue(queue, topology.exchange, routingKey)
    for (const delayed of delayQueuesFor(queue, policy)) {
      await channel.assertQueue(delayed.name, {
        durable: true,
        arguments: { ...quorum, ...safeDeadLettering, 'x-message-ttl': delayed.delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
      })
    }
  }
}

/** Removes everything assertTopology declared (tests use it to clean up their namespace). */
export async function deleteTopology(channel: Channel, topology: Topology, policy: Pick<QueuePolicy, 'retryDelaysMs' | 'setAsideMs'>): Promise<void> {
  for (const { queue } of Object.values(topology.queues)) {
    for (const { name } of delayQueuesFor(queue, policy)) await channel.deleteQueue(name)
    await channel.deleteQueue(queue)
    await channel.deleteQueue(deadLetterQueueFor(queue))
  }
  await channel.deleteExchange(topology.exchange)
  await channel.deleteExchange(topology.deadLetterExchange)
}
