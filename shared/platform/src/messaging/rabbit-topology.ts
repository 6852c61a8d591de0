import type { Channel } from 'amqplib'
import { deadLetterQueueFor, type Topology } from '@restaurant/contracts'

export interface QueuePolicy {
  /** Deliveries of one message (crash loops included) before the broker dead-letters it. */
  deliveryLimit: number
  /** Delays of the retry tiers a failed message waits in before it goes back to its queue. */
  retryDelaysMs: readonly number[]
  /** How long a message set aside (one that must wait longer than a delivery may be held) waits before it comes back. */
  setAsideMs: number
}

/** The queue a failed message waits in for `delayMs` before the broker sends it back to `queue`. */
export function retryQueueFor(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}ms`
}

/**
 * The queue a message set aside waits in for `delayMs` before it comes back to `queue`: apart from the retry
 * tiers, since waiting is not failing (it spends none of the message's retries, nor its delivery limit).
 */
export function setAsideQueueFor(queue: string, delayMs: number): string {
  return `${queue}.set-aside.${delayMs}ms`
}

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
    for (const delayed of delayQueuesFor(queue, policy)) {
      await channel.assertQueue(delayed.name, {
        durable: true,
        arguments: { ...quorum, ...safeDeadLettering, 'x-message-ttl': delayed.delayMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
      })
    }
  }
}

/** The queues whose messages expire back into `queue`: the retry tiers, then the set-aside queue. */
export function delayQueuesFor(queue: string, policy: Pick<QueuePolicy, 'retryDelaysMs' | 'setAsideMs'>) {
  return [
    ...policy.retryDelaysMs.map((delayMs) => ({ name: retryQueueFor(queue, delayMs), delayMs, role: 'retry' as const })),
    { name: setAsideQueueFor(queue, policy.setAsideMs), delayMs: policy.setAsideMs, role: 'set_aside' as const },
  ]
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
