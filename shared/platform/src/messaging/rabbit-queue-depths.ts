import type { Logger } from 'pino'
import { deadLetterQueueFor } from '@restaurant/contracts/messages'
import type { QueueDepth } from '../runtime/metrics.js'
import { delayQueuesFor, type QueuePolicy } from './queue-policy.js'
import type { Session } from './rabbit-session.js'

/** The depths of `queues`, with their retry tiers, set-aside queues and dead letters; none while disconnected. */
export async function readQueueDepths(session: Session, queues: readonly string[], policy: Pick<QueuePolicy, 'retryDelaysMs' | 'setAsideMs'>, log: Logger): Promise<QueueDepth[]> {
  const depths: QueueDepth[] = []
  // A passive check of a missing queue closes its channel, so the checks get a channel of their own.
  const channel = await session.connection.createChannel().catch(() => undefined)
  if (!channel) return depths
  channel.on('error', () => undefined)
  try {
    for (const queue of queues) {
      for (const [name, role] of rolesOf(queue, policy)) depths.push({ queue: name, role, messages: (await channel.checkQueue(name)).messageCount })
    }
  } catch (err) {
    log.warn({ err }, 'could not read the queue depths')
  } finally {
    await channel.close().catch(() => undefined)
  }
  return depths
}

function rolesOf(queue: string, policy: Pick<QueuePolicy, 'retryDelaysMs' | 'setAsideMs'>): Array<[string, QueueDepth['role']]> {
  return [
    [queue, 'work'],
    ...delayQueuesFor(queue, policy).map(({ name, role }): [string, QueueDepth['role']] => [name, role]),
    [deadLetterQueueFor(queue), 'dead_letter'],
  ]
}
