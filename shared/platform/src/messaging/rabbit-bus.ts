import { setTimeout as sleep } from 'node:timers/promises'
import amqp, { type Channel, type ChannelModel } from 'amqplib'
import type { Logger } from 'pino'
import type { Static } from 'typebox'
import { Compile } from 'typebox/compile'
import type { RabbitSettings } from '../runtime/config.js'
import { deadLetterQueueFor, type Topology } from '@restaurant/contracts'
import { BrokerBusyError, BrokerUnavailableError } from '../runtime/errors.js'
import type { BusMetrics, QueueDepth } from '../runtime/metrics.js'
import type { Bus, ConsumeOptions, MessageContext, MessageHandler } from './bus.js'
import { createDelivery, type ConsumerSpec, type DeliveryPolicy } from './delivery.js'
import { inboundFrom } from './rabbit-delivery.js'
import { createPublisher, type Publisher } from './rabbit-publisher.js'
import { assertTopology, delayQueuesFor, type QueuePolicy } from './rabbit-topology.js'
import { inSpan, SpanKind, withTraceContext } from '../runtime/tracing.js'
import { redactUrl, waitFor } from '../runtime/wait-for.js'

export type { Bus, ConsumeOptions, MessageContext, MessageHandler }

const RECOVERY_PAUSE_MS = 1_000

export interface BusOptions extends QueuePolicy, DeliveryPolicy {
  url: string
  topology: Topology
  log: Logger
  connectionName: string
  prefetch: number
  confirmTimeoutMs: number
  heartbeatSeconds: number
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
    url: config.AMQP_URL,
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

interface Session {
  connection: ChannelModel
  publisher: Publisher
  closed: boolean
  blocked: boolean
  consumers: Array<{ channel: Channel; tag: string }>
}

/**
 * One connection to RabbitMQ that heals itself: when the connection, a channel or a consumer is lost, the
 * bus reconnects with backoff, redeclares the topology and resubscribes every consumer. Publishes still
 * waiting for a confirm on the lost connection fail (the caller answers 503); deliveries from it are
 * never acked on the new one, so the broker redelivers them.
 */
export async function connectBus(options: BusOptions): Promise<Bus> {
  const { log, topology } = options
  const specs: Array<ConsumerSpec<never>> = []
  const inFlight = new Set<Promise<void>>()
  const stopping = new AbortController()
  const draining = new AbortController()
  let recovering: Promise<void> | undefined
  let session = await open()
  options.metrics?.watchQueues(queueDepths)

  async function open(): Promise<Session> {
    const url = new URL(options.url)
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(options.heartbeatSeconds))
    const connection = await waitFor(() => amqp.connect(url.toString(), { clientProperties: { connection_name: options.connectionName } }), {
      what: `RabbitMQ at ${redactUrl(options.url)}`,
      hint: 'start it with `rabbitmq-server -detached` (or `docker compose up -d rabbitmq`)',
      log,
      signal: stopping.signal,
    })
    try {
      const opened = await prepare(connection)
      if (stopping.signal.aborted) throw new Error('the bus is closing')
      return opened
    } catch (err) {
      // A half-prepared connection is never kept: it would hold channels nobody uses.
      await connection.close().catch(() => undefined)
      throw err
    }
  }

  async function prepare(connection: ChannelModel): Promise<Session> {
    const channel = await connection.createConfirmChannel()
    await assertTopology(channel, topology, options)
    const opened: Session = { connection, publisher: createPublisher(channel, options.confirmTimeoutMs), closed: false, blocked: false, consumers: [] }
    connection.on('error', (err: Error) => log.warn({ err }, 'RabbitMQ connection error'))
    connection.on('close', (err?: Error) => {
      opened.closed = true
      recover(opened, err)
    })
    connection.on('blocked', (reason: string) => {
      opened.blocked = true
      log.warn({ reason }, 'RabbitMQ blocked publishing (flow control); shedding new orders')
    })
    connection.on('unblocked', () => (opened.blocked = false))
    channel.on('close', () => closeWithChannel(connection))
    if (!draining.signal.aborted) for (const spec of specs) await subscribe(opened, spec)
    log.info({ url: redactUrl(options.url) }, 'connected to RabbitMQ')
    return opened
  }

  /**
   * A channel closed on its own (a channel error, a cancelled consumer) takes the whole connection down
   * with it, to recover as one. Not while the bus closes: its channels close one by one on purpose.
   */
  function closeWithChannel(connection: ChannelModel): void {
    if (!stopping.signal.aborted) void connection.close().catch(() => undefined)
  }

  /** Reconnects until it succeeds or the bus closes; one recovery at a time. */
  function recover(lost: Session, err: Error | undefined): void {
    lost.publisher.failPending('the connection to the broker was lost')
    if (stopping.signal.aborted || lost !== session || recovering) return
    log.error({ err }, 'lost the connection to RabbitMQ; reconnecting')
    recovering = (async () => {
      while (!stopping.signal.aborted) {
        try {
          session = await open()
          // Lost again before it was in use: its close found it was not the current session yet.
          if (session.closed) continue
          log.info('recovered the connection to RabbitMQ; consumers resubscribed')
          return
        } catch (openErr) {
          if (stopping.signal.aborted) return
          log.error({ err: openErr }, 'could not recover the connection to RabbitMQ; trying again')
          await sleep(RECOVERY_PAUSE_MS)
        }
      }
    })().finally(() => (recovering = undefined))
  }

  async function subscribe<T>(target: Session, spec: ConsumerSpec<T>): Promise<void> {
    const channel = await target.connection.createChannel()
    // Deliveries of a closed channel can no longer be settled: their handlers are told to stop waiting.
    const channelClosed = new AbortController()
    channel.on('close', () => {
      channelClosed.abort(new Error('the channel closed'))
      closeWithChannel(target.connection)
    })
    const settleable = AbortSignal.any([channelClosed.signal, draining.signal])
    await channel.prefetch(options.prefetch)
    const publisher = () => (session === target ? target.publisher : undefined)
    const deliver = createDelivery(spec, options, { log, system: 'rabbitmq', metrics: options.metrics })
    const { consumerTag } = await channel.consume(spec.queue, (raw) => {
      // A null delivery means the broker cancelled the consumer (queue deleted or moved): start over.
      if (!raw) return void channel.close().catch(() => undefined)
      const work = deliver(inboundFrom(channel, raw, publisher), { signal: settleable, channelClosed: channelClosed.signal })
      inFlight.add(work)
      void work.finally(() => inFlight.delete(work))
    })
    target.consumers.push({ channel, tag: consumerTag })
  }

  /** The queues this bus consumes, with their retry tiers and dead letters; none while disconnected. */
  async function queueDepths(): Promise<QueueDepth[]> {
    const depths: QueueDepth[] = []
    // A passive check of a missing queue closes its channel, so the checks get a channel of their own.
    const channel = await session.connection.createChannel().catch(() => undefined)
    if (!channel) return depths
    channel.on('error', () => undefined)
    try {
      for (const { queue } of specs) {
        const roles: Array<[string, QueueDepth['role']]> = [
          [queue, 'work'],
          ...delayQueuesFor(queue, options).map(({ name, role }): [string, QueueDepth['role']] => [name, role]),
          [deadLetterQueueFor(queue), 'dead_letter'],
        ]
        for (const [name, role] of roles) depths.push({ queue: name, role, messages: (await channel.checkQueue(name)).messageCount })
      }
    } catch (err) {
      log.warn({ err }, 'could not read the queue depths')
    } finally {
      await channel.close().catch(() => undefined)
    }
    return depths
  }

  return {
    async publish(routingKey, message, correlationId) {
      if (stopping.signal.aborted || session.blocked || session.closed) throw new BrokerUnavailableError('not connected to the broker')
      if (session.publisher.pending() >= options.maxPendingPublishes) throw new BrokerBusyError()
      const content = Buffer.from(JSON.stringify(message))
      const confirmed = options.metrics?.confirmSeconds.startTimer({ routing_key: routingKey })
      const attributes = { 'messaging.system': 'rabbitmq', 'messaging.destination.name': topology.exchange, 'messaging.rabbitmq.destination.routing_key': routingKey }
      await inSpan(`publish ${routingKey}`, { kind: SpanKind.PRODUCER, attributes }, () =>
        // The trace travels with the message, as W3C trace context in its AMQP headers.
        session.publisher.publish(topology.exchange, routingKey, content, { correlationId, contentType: 'application/json', headers: withTraceContext({}) }),
      )
      confirmed?.()
    },
    async consume(binding, schema, handler, consumeOptions = {}) {
      const spec = { queue: binding.queue, check: Compile(schema), handler, ...consumeOptions } as ConsumerSpec<Static<typeof schema>>
      specs.push(spec as ConsumerSpec<never>)
      await subscribe(session, spec)
    },
    assertConnected() {
      if (session.closed) throw new Error('not connected; reconnecting')
      if (session.blocked) throw new Error('blocked by flow control')
    },
    async cancelConsumers() {
      draining.abort(new Error('the consumer is draining'))
      await Promise.all(session.consumers.map(({ channel, tag }) => channel.cancel(tag).catch(() => undefined)))
      await Promise.allSettled([...inFlight])
    },
    async close() {
      stopping.abort()
      await recovering
      // connection.close() drops frames still queued on channels, acks included (amqplib #637);
      // closing each channel first is a round trip that flushes them.
      await Promise.all(session.consumers.map(({ channel }) => channel.close().catch(() => undefined)))
      await session.connection.close().catch(() => undefined)
    },
  }
}
