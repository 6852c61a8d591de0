import { randomUUID } from 'node:crypto'
import { deadLetterQueueFor, routingKeysOf, type RoutingKey, type Topology } from '@restaurant/contracts/messages'
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
  boundTo(routingKey: RoutingKey): string[]
  has(queue: string): boolean
  /** Onto one queue by name, as the default exchange does; a delay queue sends it back to its work queue when it expires. */
  send(queue: string, message: StoredMessage): void
  take(queue: string): StoredMessage | undefined
  /** An unsettled message back at the head of its queue, or dead-lettered once past the delivery limit. */
  giveBack(queue: string, message: StoredMessage): void
  deadLetter(queue: string, message: StoredMessage, reason: NonNullable<StoredMessage['deathReason']>): void
  unbind(queue: string): void
  /** A queue named as the broker names one, bound to `routingKey`, for one consumer of its own. */
  declareOwn(routingKey: RoutingKey): string
  /** The queue is gone, with its messages and its binding. */
  remove(queue: string): void
  messages(queue: string): readonly StoredMessage[]
  /** Messages waiting in a delay queue to expire. */
  delayed(): number
  /** Clears the expiry timers; what is on a delay queue stays there. */
  stop(): void
}

/** The queues of one memory bus and their expiry timers; changed only by the functions below. */
interface Queues {
  byName: Map<string, StoredMessage[]>
  bindings: Map<string, RoutingKey[]>
  /** Delay queues: where their messages go when they expire, and after how long. */
  expiries: Map<string, { target: string; delayMs: number }>
  timers: Set<NodeJS.Timeout>
  timeScale: number
  ready: (queue: string) => void
}

/**
 * The queues of a topology as RabbitMQ holds them (assertTopology): each work queue bound to its routing
 * key, with its retry tiers and set-aside queue expiring back into it, and its dead-letter queue.
 * `ready(queue)` is called whenever a work queue gains a message. Delays are multiplied by `timeScale`.
 */
export function createMemoryQueues(topology: Topology, policy: QueuePolicy, timeScale: number, ready: (queue: string) => void): MemoryQueues {
  const queues = declare(topology, policy, timeScale, ready)
  return {
    route(routingKey, message) {
      const bound = boundTo(queues, routingKey)
      if (bound.length === 0) throw new UnroutableMessageError(routingKey)
      for (const queue of bound) send(queues, queue, { ...message })
    },
    boundTo: (routingKey) => boundTo(queues, routingKey),
    has: (queue) => queues.byName.has(queue),
    send: (queue, message) => send(queues, queue, message),
    take: (queue) => queueOf(queues, queue).shift(),
    giveBack(queue, message) {
      const returned = { ...message, redelivered: true, returns: message.returns + 1 }
      if (returned.returns > policy.deliveryLimit) return deadLetter(queues, queue, returned, 'delivery_limit')
      queueOf(queues, queue).unshift(returned)
      ready(queue)
    },
    deadLetter: (queue, message, reason) => deadLetter(queues, queue, message, reason),
    unbind: (queue) => void queues.bindings.delete(queue),
    declareOwn(routingKey) {
      const queue = `amq.gen-${randomUUID()}`
      queues.byName.set(queue, [])
      queues.bindings.set(queue, [routingKey])
      return queue
    },
    remove(queue) {
      queues.byName.delete(queue)
      queues.bindings.delete(queue)
    },
    messages: (queue) => [...queueOf(queues, queue)],
    delayed: () => queues.timers.size,
    stop() {
      queues.timers.forEach((timer) => clearTimeout(timer))
      queues.timers.clear()
    },
  }
}

function declare(topology: Topology, policy: QueuePolicy, timeScale: number, ready: (queue: string) => void): Queues {
  const queues: Queues = { byName: new Map(), bindings: new Map(), expiries: new Map(), timers: new Set(), timeScale, ready }
  for (const binding of Object.values(topology.queues)) {
    const { queue } = binding
    queues.bindings.set(queue, routingKeysOf(binding))
    for (const name of [queue, deadLetterQueueFor(queue)]) queues.byName.set(name, [])
    for (const { name, delayMs } of delayQueuesFor(queue, policy)) {
      queues.byName.set(name, [])
      queues.expiries.set(name, { target: queue, delayMs })
    }
  }
  return queues
}

function boundTo(queues: Queues, routingKey: RoutingKey): string[] {
  return [...queues.bindings].filter(([, keys]) => keys.includes(routingKey)).map(([queue]) => queue)
}

function queueOf(queues: Queues, name: string): StoredMessage[] {
  const found = queues.byName.get(name)
  if (!found) throw new UnroutableMessageError(name)
  return found
}

function send(queues: Queues, queue: string, message: StoredMessage): void {
  queueOf(queues, queue).push(message)
  const expiry = queues.expiries.get(queue)
  if (!expiry) return queues.ready(queue)
  const timer = setTimeout(() => {
    queues.timers.delete(timer)
    queueOf(queues, queue).splice(queueOf(queues, queue).indexOf(message), 1)
    send(queues, expiry.target, { ...message, redelivered: false, returns: 0 })
  }, expiry.delayMs * queues.timeScale)
  queues.timers.add(timer)
}

function deadLetter(queues: Queues, queue: string, message: StoredMessage, reason: NonNullable<StoredMessage['deathReason']>): void {
  queueOf(queues, deadLetterQueueFor(queue)).push({ ...message, deathReason: reason })
}
