import type { Channel } from 'amqplib'
import { deadLetterQueueFor, type Topology } from './contracts/messages.js'

export interface QueuePolicy {
  /** Deliveries of one message (crash loops included) before the broker dead-letters it. */
  deliveryLimit: number
  /** Delays of the retry tiers a failed message waits in before it goes back to its queue. */
  retryDelaysMs: readonly number[]
}

/** The queue a failed message waits in for `delayMs` before the broker sends it back to `queue`. */
export function retryQueueFor(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}ms`
}

const quorum = { 'x-queue-type': 'quorum' }
// At-least-once dead-lettering needs reject-publish overflow; without it a dead letter may be dropped.
const safeDeadLettering = { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' }

/**
 * Declares the exchanges and the quorum queues: each work queue dead-letters to its own `.dead` queue
 * after `deliveryLimit` deliveries or an explicit reject, and has one retry queue per delay, whose
 * messages expire back into it through the default exchange.
 */
export async function assertTopology(channel: Channel, topology: Topology, policy: QueuePolicy): Promise<void> {
  await channel.assertExchange(topology.exchange, 'topic', { durable: true })
  await channel.assertExchange(topology.deadLetterExchange, 'direct', { durable: true })
  for (const { queue, routingKey } of Object.values(topology.queues)) {
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
    await channel.bindQueue(queue, topology.exchange, routingKey)
    for (const delayMs of policy.retryDelaysMs) {
      await channel.assertQueue(retryQueueFor(queue, delayMs), {
        durable: true,
        arguments: { ...quorum, ...safeDeadLettering, 'x-message-ttl': delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
      })
    }
  }
}

/** Removes everything assertTopology declared (tests use it to clean up their namespace). */
export async function deleteTopology(channel: Channel, topology: Topology, retryDelaysMs: readonly number[] = []): Promise<void> {
  for (const { queue } of Object.values(topology.queues)) {
    for (const delayMs of retryDelaysMs) await channel.deleteQueue(retryQueueFor(queue, delayMs))
    await channel.deleteQueue(queue)
    await channel.deleteQueue(deadLetterQueueFor(queue))
  }
  await channel.deleteExchange(topology.exchange)
  await channel.deleteExchange(topology.deadLetterExchange)
}
