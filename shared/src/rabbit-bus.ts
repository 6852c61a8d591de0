import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import amqp, { type Channel, type ConfirmChannel, type ConsumeMessage } from 'amqplib'
import type { Logger } from 'pino'
import type { Static, TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import type { RabbitSettings } from './config.js'
import type { QueueBinding, RoutingKey, Topology } from './contracts/messages.js'
import { BrokerUnavailableError, UnroutableMessageError } from './errors.js'
import { assertTopology } from './rabbit-topology.js'
import { redactUrl, waitFor } from './wait-for.js'

export interface BusOptions {
  url: string
  topology: Topology
  log: Logger
  connectionName: string
  prefetch: number
  confirmTimeoutMs: number
  retryDelayMs: number
  deliveryLimit: number
  /** Called when the connection or a channel is lost unexpectedly. */
  onLost: (err: Error) => void
}

/** Bus options from the validated RabbitMQ settings every service shares. */
export function busOptionsFrom(
  config: RabbitSettings,
  { topology, log, connectionName, onLost }: Pick<BusOptions, 'topology' | 'log' | 'connectionName' | 'onLost'>,
): BusOptions {
  return {
    url: config.AMQP_URL,
    topology,
    log,
    connectionName,
    prefetch: config.AMQP_PREFETCH,
    confirmTimeoutMs: config.AMQP_CONFIRM_TIMEOUT_MS,
    retryDelayMs: config.AMQP_RETRY_DELAY_MS,
    deliveryLimit: config.AMQP_DELIVERY_LIMIT,
    onLost,
  }
}

export interface MessageContext {
  correlationId: string
  redelivered: boolean
  deliveryCount: number
  log: Logger
}

export type MessageHandler<T> = (message: T, context: MessageContext) => Promise<void>

export interface Bus {
  /** Resolves once the broker has confirmed the persistent message onto a queue; rejects otherwise. */
  publish(routingKey: RoutingKey, message: object, correlationId: string): Promise<void>
  consume<S extends TSchema>(binding: QueueBinding, schema: S, handler: MessageHandler<Static<S>>): Promise<void>
  /** Stops taking new deliveries and waits for the in-flight handlers to finish and settle theirs. */
  cancelConsumers(): Promise<void>
  close(): Promise<void>
}

export async function connectBus(options: BusOptions): Promise<Bus> {
  const { url, log } = options
  const connection = await waitFor(
    () => amqp.connect(url, { clientProperties: { connection_name: options.connectionName } }),
    { what: `RabbitMQ at ${redactUrl(url)}`, hint: 'start it with `rabbitmq-server -detached` (or `docker compose up -d rabbitmq`)', log },
  )
  let closing = false
  const lost = (err: Error | undefined, what: string) => {
    if (!closing) options.onLost(err ?? new Error(`${what} closed unexpectedly`))
  }
  connection.on('error', (err: Error) => log.error({ err }, 'RabbitMQ connection error'))
  connection.on('close', (err?: Error) => lost(err, 'RabbitMQ connection'))
  const publisher = await connection.createConfirmChannel()
  publisher.on('close', () => lost(undefined, 'publish channel'))
  await assertTopology(publisher, options.topology, options.deliveryLimit)
  log.info({ url: redactUrl(url) }, 'connected to RabbitMQ')

  const publish = createPublisher(publisher, options)
  const consumers: Array<{ channel: Channel; tag: string }> = []
  const inFlight = new Set<Promise<void>>()
  const track = (work: Promise<void>) => {
    inFlight.add(work)
    void work.finally(() => inFlight.delete(work))
  }

  return {
    publish,
    async consume(binding, schema, handler) {
      const channel = await connection.createChannel()
      channel.on('close', () => lost(undefined, `consumer channel for ${binding.queue}`))
      await channel.prefetch(options.prefetch)
      const deliver = createDelivery(channel, binding.queue, Compile(schema), handler, options)
      const { consumerTag } = await channel.consume(binding.queue, (raw) => raw && track(deliver(raw)), { noAck: false })
      consumers.push({ channel, tag: consumerTag })
    },
    async cancelConsumers() {
      await Promise.all(consumers.map(({ channel, tag }) => channel.cancel(tag).catch(() => undefined)))
      await Promise.allSettled([...inFlight])
    },
    async close() {
      closing = true
      // connection.close() drops frames still queued on channels, acks included (amqplib #637);
      // closing each channel first is a round trip that flushes them.
      await Promise.all(consumers.map(({ channel }) => channel.close().catch(() => undefined)))
      await connection.close().catch(() => undefined)
    },
  }
}

function createPublisher(channel: ConfirmChannel, { topology, confirmTimeoutMs }: BusOptions) {
  const unroutable = new Set<string>()
  channel.on('return', (message: ConsumeMessage) => unroutable.add(String(message.properties.messageId)))
  let drained: Promise<unknown> = Promise.resolve()

  return async function publish(routingKey: RoutingKey, message: object, correlationId: string): Promise<void> {
    await drained
    const messageId = randomUUID()
    const content = Buffer.from(JSON.stringify(message))
    const properties = { persistent: true, mandatory: true, messageId, correlationId, contentType: 'application/json' }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new BrokerUnavailableError('no publisher confirm in time')), confirmTimeoutMs)
      const settle = (err: unknown) => {
        clearTimeout(timer)
        // A mandatory message that no queue took comes back (basic.return) before its confirm.
        const returned = unroutable.delete(messageId)
        if (err) reject(new BrokerUnavailableError('the broker refused the message'))
        else if (returned) reject(new UnroutableMessageError(routingKey))
        else resolve()
      }
      try {
        const accepted = channel.publish(topology.exchange, routingKey, content, properties, settle)
        if (!accepted) drained = once(channel, 'drain')
      } catch {
        settle(new Error('channel closed'))
      }
    })
  }
}

type Check = ReturnType<typeof Compile>

function createDelivery<T>(channel: Channel, queue: string, check: Check, handler: MessageHandler<T>, options: BusOptions) {
  return async function deliver(raw: ConsumeMessage): Promise<void> {
    const correlationId = String(raw.properties.correlationId ?? raw.properties.messageId ?? 'none')
    const deliveryCount = Number(raw.properties.headers?.['x-delivery-count'] ?? 0)
    const log = options.log.child({ reqId: correlationId, queue, messageId: raw.properties.messageId })
    const message = parse(raw.content, check)
    if (message === undefined) {
      log.error({ bytes: raw.content.length }, 'malformed message dead-lettered')
      return settle(() => channel.nack(raw, false, false), log)
    }
    try {
      await handler(message as T, { correlationId, redelivered: raw.fields.redelivered, deliveryCount, log })
      settle(() => channel.ack(raw), log)
    } catch (err) {
      log.error({ err, deliveryCount }, 'message handling failed; returned to the queue for a retry')
      // A pause before the requeue keeps a failing message from hot-looping.
      await sleep(options.retryDelayMs)
      settle(() => channel.nack(raw, false, true), log)
    }
  }
}

function parse(content: Buffer, check: Check): unknown {
  try {
    const value: unknown = JSON.parse(content.toString('utf8'))
    return check.Check(value) ? value : undefined
  } catch {
    return undefined
  }
}

/** An ack on a channel that has since closed cannot be delivered; the broker redelivers the message. */
function settle(action: () => void, log: Logger): void {
  try {
    action()
  } catch (err) {
    log.warn({ err }, 'could not settle the delivery; the broker will redeliver it')
  }
}
