import type { Static } from 'typebox'
import { Compile } from 'typebox/compile'
import type { RoutingKey } from '@restaurant/contracts/messages'
import type { RabbitSettings } from '../runtime/config.js'
import { BrokerBusyError, BrokerUnavailableError } from '../runtime/errors.js'
import type { BusMetrics } from '../runtime/metrics.js'
import { inSpan, SpanKind, withTraceContext } from '../runtime/tracing.js'
import { brokerUrls } from './broker-members.js'
import type { BroadcastHandler, Bus, ConsumeOptions, MessageContext, MessageHandler, SubscribeOptions } from './bus.js'
import type { ConsumerSpec, DeliveryPolicy } from './delivery.js'
import type { QueuePolicy } from './queue-policy.js'
import { openConnection, type RabbitConnection } from './rabbit-connection.js'
import { createConsumers } from './rabbit-consumers.js'
import { readQueueDepths } from './rabbit-queue-depths.js'
import type { ConnectionOptions } from './rabbit-session.js'

export type { BroadcastHandler, Bus, ConsumeOptions, MessageContext, MessageHandler, SubscribeOptions }

export interface BusOptions extends ConnectionOptions, DeliveryPolicy {
  prefetch: number
  /** Publishes waiting for their confirm beyond which new ones are refused at once (load shedding). */
  maxPendingPublishes: number
  /** Where deliveries and confirm times are counted, if anywhere. */
  metrics?: BusMetrics
}

/** Bus options from the validated RabbitMQ settings every service shares. */
export function busOptionsFrom(config: RabbitSettings, rest: Pick<BusOptions, 'topology' | 'log' | 'connectionName' | 'metrics'>): BusOptions {
  return {
    ...rest,
    ...queuePolicyFrom(config),
    urls: brokerUrls(config.AMQP_URL),
    prefetch: config.AMQP_PREFETCH,
    confirmTimeoutMs: config.AMQP_CONFIRM_TIMEOUT_MS,
    heartbeatSeconds: config.AMQP_HEARTBEAT_SECONDS,
    maxPendingPublishes: config.AMQP_MAX_PENDING_PUBLISHES,
  }
}

/** How the queues retry, set aside and dead-letter messages, from the same settings. */
export function queuePolicyFrom(config: RabbitSettings): QueuePolicy & DeliveryPolicy {
  return {
    deliveryLimit: config.AMQP_DELIVERY_LIMIT,
    retryDelaysMs: config.AMQP_RETRY_DELAYS_MS.split(',').map(Number),
    maxHoldMs: config.AMQP_MAX_HOLD_MS,
    setAsideMs: config.AMQP_SET_ASIDE_MS,
  }
}

/**
 * The Bus on RabbitMQ: a connection that heals itself (rabbit-connection.ts), consumers subscribed again on
 * every new one (rabbit-consumers.ts; a broadcast subscription on a new queue of its own), and confirmed
 * publishes that are refused at once while disconnected, blocked or too many are waiting. Deliveries from a lost connection are never acked on the new one.
 */
export async function connectBus(options: BusOptions): Promise<Bus> {
  const consumers = createConsumers({ ...options, exchange: options.topology.exchange })
  const connection = await openConnection(options, (session) => consumers.resubscribe(session))
  options.metrics?.watchQueues(() => readQueueDepths(connection.current(), consumers.queues(), options, options.log))
  return {
    publish: (routingKey, message, correlationId) => publish(connection, options, { routingKey, message, correlationId }),
    async consume(binding, schema, handler, consumeOptions = {}) {
      const spec: ConsumerSpec<Static<typeof schema>> = { queue: binding.queue, check: Compile(schema), handler, ...consumeOptions }
      await consumers.add(connection.current(), spec)
    },
    async subscribe(routingKey, schema, handler, { onSubscribed } = {}) {
      await consumers.broadcast(connection.current(), { routingKey, check: Compile(schema), handler, onSubscribed })
    },
    assertConnected() {
      const { closed, blocked } = connection.current()
      if (closed) throw new Error('not connected; reconnecting')
      if (blocked) throw new Error('blocked by flow control')
    },
    cancelConsumers: () => consumers.cancel(),
    async close() {
      await connection.stop()
      await consumers.closeChannels()
      await connection.close()
    },
  }
}

/** Resolves once the broker confirmed the message onto a queue. */
async function publish(connection: RabbitConnection, options: BusOptions, { routingKey, message, correlationId }: { routingKey: RoutingKey; message: object; correlationId: string }) {
  const { publisher, blocked, closed } = connection.current()
  if (connection.stopped.aborted || blocked || closed) throw new BrokerUnavailableError('not connected to the broker')
  if (publisher.pending() >= options.maxPendingPublishes) throw new BrokerBusyError()
  const { exchange } = options.topology
  const content = Buffer.from(JSON.stringify(message))
  const confirmed = options.metrics?.confirmSeconds.startTimer({ routing_key: routingKey })
  const attributes = { 'messaging.system': 'rabbitmq', 'messaging.destination.name': exchange, 'messaging.rabbitmq.destination.routing_key': routingKey }
  await inSpan(`publish ${routingKey}`, { kind: SpanKind.PRODUCER, attributes }, () =>
    // The trace travels with the message, as W3C trace context in its AMQP headers.
    publisher.publish(exchange, routingKey, content, { correlationId, contentType: 'application/json', headers: withTraceContext({}) }),
  )
  confirmed?.()
}
