import { deadLetterQueueFor, type RoutingKey, type Topology } from '@restaurant/contracts'
import { UnroutableMessageError } from '../runtime/errors.js'
import { delayQueuesFor, type QueuePolicy } from './queue-policy.js'

export interface StoredMessage {
  content: Buffer
  correlationId: string | undefined
  messageId: string
  headers: Record<string, unknown>
  /** Handed out before, and came back unsettled. */
  redelivered: boolean
  /** Times it came back unsettled; past the delivery limit it is dead-lettered. */
  returns: number
  /** Why it is on a dead-letter queue, once it is. */
  deathReason?: 'rejected' | 'delivery_limit'
}

export interface MemoryQueues {
  /** Onto every queue bound to the routing key; refused with UnroutableMessageError when there is none. */
  route(routingKey: RoutingKey, message: StoredMessage): void
  /** Onto one queue by name, as the default exchange does; a delay queue sends it back to its work queue when it expires. */
  send(queue: string, message: StoredMessage): void
  take(queue: string): StoredMessage | undefined
  /** An unsettled message back at the head of its queue, or dead-lettered once past the delivery limit. */
  giveBack(queue: string, message: StoredMessage): void
  deadLetter(queue: string, message: StoredMessage, reason: NonNullable<StoredMessage['deathReason']>): void
  unbind(queue: string): void
  messages(queue: string): readonly StoredMessage[]
  /** Messages waiting in a delay queue to expire. */
  delayed(): number
  /** Clears the expiry timers; what is on a delay queue stays there. */
  stop(): void
}

/**
 * The queues of a topology as RabbitMQ holds them (assertTopology): each work queue bound to its routing
 * key, with its retry tiers and set-aside queue expiring back into it, and its dead-letter queue.
 * `ready(queue)` is called whenever a work queue gains a message. Delays are multiplied by `timeScale`.
 */
export function createMemoryQueues(topology: Topology, policy: QueuePolicy, timeScale: number, ready: (queue: string) => void): MemoryQueues {
  const queues = new Map<string, StoredMessage[]>()
  const bindings = new Map<string, RoutingKey>()
  const expiries = new Map<string, { target: string; delayMs: number }>()
  const timers = new Set<NodeJS.Timeout>()
  for (const { queue, routingKey } of Object.values(topology.queues)) {
    bindings.set(queue, routingKey)
    for (const name of [queue, deadLetterQueueFor(queue)]) queues.set(name, [])
    for (const { name, delayMs } of delayQueuesFor(queue, policy)) {
      queues.set(name, [])
      expiries.set(name, { target: queue, delayMs })
    }
  }
  const queueOf = (name: string) => {
    const found = queues.get(name)
    if (!found) throw new UnroutableMessageError(name)
    return found
  }

  function send(queue: string, message: StoredMessage): void {
    queueOf(queue).push(message)
    const expiry = expiries.get(queue)
    if (!expiry) return ready(queue)
    const timer = setTimeout(() => {
      timers.delete(timer)
      queueOf(queue).splice(queueOf(queue).indexOf(message), 1)
      send(expiry.target, { ...message, redelivered: false, returns: 0 })
    }, expiry.delayMs * timeScale)
    timers.add(timer)
  }

  function deadLetter(queue: string, message: StoredMessage, reason: NonNullable<StoredMessage['deathReason']>): void {
    queueOf(deadLetterQueueFor(queue)).push({ ...message, deathReason: reason })
  }

  return {
    route(routingKey, message) {
      const bound = [...bindings].filter(([, key]) => key === routingKey).map(([queue]) => queue)
      if (bound.length === 0) throw new UnroutableMessageError(routingKey)
      for (const queue of bound) send(queue, { ...message })
    },
    send,
    take: (queue) => queueOf(queue).shift(),
    giveBack(queue, message) {
      const returned = { ...message, redelivered: true, returns: message.returns + 1 }
      if (returned.returns > policy.deliveryLimit) return deadLetter(queue, returned, 'delivery_limit')
      queueOf(queue).unshift(returned)
      ready(queue)
    },
    deadLetter,
    unbind: (queue) => void bindings.delete(queue),
    messages: (queue) => [...queueOf(queue)],
    delayed: () => timers.size,
    stop() {
      timers.forEach((timer) => clearTimeout(timer))
      timers.clear()
    },
  }
}
