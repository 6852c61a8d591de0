import type { Channel } from 'amqplib'
import { deadLetterQueueFor, type Topology } from './contracts/messages.js'

/**
 * Declares the exchanges and quorum queues. Each queue dead-letters to its own `.dead` queue,
 * at-least-once, after `deliveryLimit` deliveries or on an explicit reject.
 */
export async function assertTopology(channel: Channel, topology: Topology, deliveryLimit: number): Promise<void> {
  await channel.assertExchange(topology.exchange, 'topic', { durable: true })
  await channel.assertExchange(topology.deadLetterExchange, 'direct', { durable: true })
  for (const { queue, routingKey } of Object.values(topology.queues)) {
    const dead = deadLetterQueueFor(queue)
    await channel.assertQueue(dead, { durable: true, arguments: { 'x-queue-type': 'quorum' } })
    await channel.bindQueue(dead, topology.deadLetterExchange, queue)
    await channel.assertQueue(queue, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': topology.deadLetterExchange,
        'x-dead-letter-routing-key': queue,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
        'x-delivery-limit': deliveryLimit,
      },
    })
    await channel.bindQueue(queue, topology.exchange, routingKey)
  }
}

/** Removes everything assertTopology declared (tests use it to clean up their namespace). */
export async function deleteTopology(channel: Channel, topology: Topology): Promise<void> {
  for (const { queue } of Object.values(topology.queues)) {
    await channel.deleteQueue(queue)
    await channel.deleteQueue(deadLetterQueueFor(queue))
  }
  await channel.deleteExchange(topology.exchange)
  await channel.deleteExchange(topology.deadLetterExchange)
}
