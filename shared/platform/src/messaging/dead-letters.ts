import { setTimeout as sleep } from 'node:timers/promises'
import type { ConfirmChannel, GetMessage } from 'amqplib'
import { deadLetterQueueFor, type Topology } from '@restaurant/contracts/messages'
import { REPLAYED_HEADER } from './delivery.js'

const RETURN_WAIT_MS = 5_000

export interface DeadLetterSummary {
  queue: string
  deadLetters: number
  samples: Array<{ correlationId: string; reason: string; body: string }>
}

/** How many dead letters each work queue holds, with a look at the first few (left in place, in order). */
export async function inspectDeadLetters(channel: ConfirmChannel, topology: Topology, sampleSize = 3): Promise<DeadLetterSummary[]> {
  const summaries: DeadLetterSummary[] = []
  for (const { queue } of Object.values(topology.queues)) {
    const dead = deadLetterQueueFor(queue)
    const { messageCount } = await channel.checkQueue(dead)
    const taken: GetMessage[] = []
    for (let i = 0; i < Math.min(sampleSize, messageCount); i++) {
      const message = await channel.get(dead, { noAck: false })
      if (message) taken.push(message)
    }
    const samples = taken.map((message) => ({
      correlationId: String(message.properties.correlationId ?? ''),
      reason: lastDeathReason(message.properties.headers),
      body: message.content.toString('utf8').slice(0, 200),
    }))
    // Returned messages go back ahead of the rest, in the order they are returned.
    taken.forEach((message) => channel.nack(message, false, true))
    await untilBack(channel, dead, messageCount)
    summaries.push({ queue, deadLetters: messageCount, samples })
  }
  return summaries
}

/**
 * Moves up to `limit` dead letters of a work queue back onto it, oldest first, each with a fresh retry
 * budget and marked as replayed, so that its handler resumes its work rather than take it for a duplicate.
 * A dead letter is acked only once its copy is confirmed on the work queue, so none is lost.
 */
export async function replayDeadLetters(channel: ConfirmChannel, queue: string, limit: number): Promise<number> {
  let replayed = 0
  while (replayed < limit) {
    const message = await channel.get(deadLetterQueueFor(queue), { noAck: false })
    if (!message) break
    const { 'x-death': _death, 'x-retries': _retries, ...headers } = message.properties.headers ?? {}
    channel.publish('', queue, message.content, { ...message.properties, headers: { ...headers, [REPLAYED_HEADER]: true }, persistent: true, mandatory: true })
    await channel.waitForConfirms()
    channel.ack(message)
    replayed += 1
  }
  return replayed
}

/**
 * Waits (a few seconds at most) until the queue counts the messages it had again. A nack has no reply, and a
 * quorum queue applies a return through its log: even a round trip on the same channel can come back first.
 */
async function untilBack(channel: ConfirmChannel, queue: string, count: number): Promise<void> {
  const deadline = Date.now() + RETURN_WAIT_MS
  while ((await channel.checkQueue(queue)).messageCount < count && Date.now() < deadline) await sleep(20)
}

/** Why the message died last: `x-death` lists its deaths most recent first (earlier ones: retry tiers expiring). */
function lastDeathReason(headers: Record<string, unknown> | undefined): string {
  const deaths = headers?.['x-death'] as Array<{ reason?: string }> | undefined
  return deaths?.[0]?.reason ?? 'unknown'
}
