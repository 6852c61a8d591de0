import { randomUUID } from 'node:crypto'
import { pino, type Logger } from 'pino'
import { Compile } from 'typebox/compile'
import { deadLetterQueueFor, type RoutingKey, type Topology } from '@restaurant/contracts/messages'
import { BrokerUnavailableError } from '../runtime/errors.js'
import type { BusMetrics } from '../runtime/metrics.js'
import { withTraceContext } from '../runtime/tracing.js'
import type { Bus } from './bus.js'
import { createBroadcastDelivery, subscribedNotice } from './broadcast-delivery.js'
import { createDelivery, type DeliveryPolicy } from './delivery.js'
import { createMemoryConsumers } from './memory-consumers.js'
import { createMemoryQueues, type StoredMessage } from './memory-queues.js'
import type { QueuePolicy } from './queue-policy.js'
import { scaledTimer } from './timer.js'

export interface MemoryBusOptions extends Partial<QueuePolicy & DeliveryPolicy> {
  topology: Topology
  log?: Logger
  /** Deliveries in flight per consumer at most. */
  prefetch?: number
  /** Multiplies every wait (retry tiers, set-aside, holding, backoff) so that tests run fast: 0.01 makes 1 s 10 ms. */
  timeScale?: number
  metrics?: BusMetrics
}

export interface PublishedMessage {
  routingKey: RoutingKey
  message: unknown
  correlationId: string
}

export interface DeadLetter {
  /** The message parsed as JSON; undefined when it is not JSON. */
  message: unknown
  content: Buffer
  correlationId: string | undefined
  headers: Record<string, unknown>
  reason: 'rejected' | 'delivery_limit'
}

/** The Bus, plus what a test looks at and does to it. */
export interface MemoryBus extends Bus {
  /** Every message this bus accepted for publishing, oldest first; only those with `routingKey` when given. */
  published(routingKey?: RoutingKey): PublishedMessage[]
  /** The dead letters of a work queue, oldest first. */
  deadLetters(queue: string): DeadLetter[]
  /** Messages ready on a queue (work, retry tier, set-aside or dead-letter), not counting those handed out. */
  depth(queue: string): number
  /** Puts bytes on the bound queues as they are, unchecked (to feed a malformed message). */
  publishRaw(routingKey: RoutingKey, content: Buffer, correlationId?: string): void
  /** Whether the broker holds the queue: an instance's own goes when it disconnects, cancels or closes. */
  hasQueue(queue: string): boolean
  /** The queues bound to `routingKey`: a work queue, and the queues of the broadcast subscriptions. */
  boundQueues(routingKey: RoutingKey): string[]
  /** Removes a queue's binding, so that its routing key reaches no queue. */
  unbind(queue: string): void
  /** The connection drops: deliveries in flight see their channel close and go back to their queue; publishes are refused. */
  disconnect(): void
  /** The connection is back: consumers take deliveries again. */
  reconnect(): void
  /** Resolves once nothing is in flight, waiting on a delay queue, or ready for a consumer; rejects after `timeoutMs`. */
  settled(timeoutMs?: number): Promise<void>
}

const defaults = { deliveryLimit: 20, retryDelaysMs: [1_000, 10_000, 60_000], maxHoldMs: 600_000, setAsideMs: 60_000, prefetch: 50, timeScale: 1 }

/**
 * The bus in memory, for tests of the use cases: no I/O, the same message semantics as RabbitMQ's (the
 * delivery code is shared; the queues model the broker's), and what was published and dead-lettered in view.
 */
export function createMemoryBus(options: MemoryBusOptions): MemoryBus {
  const settings = { ...defaults, ...options }
  const log = options.log ?? pino({ level: 'silent' })
  const timer = scaledTimer(settings.timeScale)
  const published: PublishedMessage[] = []
  const queues = createMemoryQueues(settings.topology, settings, settings.timeScale, () => consumers.ready())
  const consumers = createMemoryConsumers(queues, settings.prefetch)

  return {
    async publish(routingKey, message, correlationId) {
      if (!consumers.connected()) throw new BrokerUnavailableError('not connected to the broker')
      const content = Buffer.from(JSON.stringify(message))
      queues.route(routingKey, stored(content, correlationId))
      published.push({ routingKey, message: JSON.parse(content.toString('utf8')), correlationId })
    },
    async consume(binding, schema, handler, consumeOptions = {}) {
      const spec = { queue: binding.queue, check: Compile(schema), handler, ...consumeOptions }
      consumers.add(binding.queue, createDelivery(spec, settings, { log, system: 'memory', metrics: options.metrics, timer }))
    },
    async subscribe(routingKey, schema, handler, { onSubscribed } = {}) {
      const spec = { routingKey, check: Compile(schema), handler, onSubscribed }
      consumers.addOwn(routingKey, createBroadcastDelivery(spec, { log, system: 'memory' }), subscribedNotice(spec, log))
    },
    assertConnected() {
      if (!consumers.connected()) throw new Error('not connected; reconnecting')
    },
    cancelConsumers: () => consumers.cancel(),
    async close() {
      consumers.close()
      queues.stop()
    },
    published: (routingKey) => published.filter((entry) => routingKey === undefined || entry.routingKey === routingKey),
    deadLetters: (queue) => queues.messages(deadLetterQueueFor(queue)).map(deadLetterOf),
    depth: (queue) => queues.messages(queue).length,
    publishRaw: (routingKey, content, correlationId) => queues.route(routingKey, stored(content, correlationId)),
    hasQueue: (queue) => queues.has(queue),
    boundQueues: (routingKey) => queues.boundTo(routingKey),
    unbind: (queue) => queues.unbind(queue),
    disconnect: () => consumers.disconnect(),
    reconnect: () => consumers.reconnect(),
    settled: (timeoutMs = 10_000) => consumers.settled(timeoutMs),
  }
}

function stored(content: Buffer, correlationId: string | undefined): StoredMessage {
  return { content, correlationId, messageId: randomUUID(), headers: withTraceContext({}), redelivered: false, returns: 0 }
}

function deadLetterOf({ content, correlationId, headers, deathReason }: StoredMessage): DeadLetter {
  let message: unknown
  try {
    message = JSON.parse(content.toString('utf8'))
  } catch {
    message = undefined
  }
  return { message, content, correlationId, headers, reason: deathReason ?? 'rejected' }
}
