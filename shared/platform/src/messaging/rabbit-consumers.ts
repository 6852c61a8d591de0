import type { Channel } from 'amqplib'
import type { Logger } from 'pino'
import type { BusMetrics } from '../runtime/metrics.js'
import { createAckBatcher, type AckBatcher } from './ack-batcher.js'
import { createBroadcastDelivery, subscribedNotice, type BroadcastSpec } from './broadcast-delivery.js'
import { createDelivery, type ConsumerSpec, type DeliveryPolicy, type Inbound, type Signals } from './delivery.js'
import { inboundFrom } from './rabbit-delivery.js'
import type { Session } from './rabbit-session.js'

/** Deliveries in flight at most on an instance's own queue: broadcasts are few, and handled one at a time. */
const BROADCAST_PREFETCH = 10

export interface ConsumersOptions extends DeliveryPolicy {
  log: Logger
  prefetch: number
  /** The exchange an instance's own queues are bound to. */
  exchange: string
  metrics?: BusMetrics
}

/** One consumer as it is subscribed again on every session. */
interface Subscription {
  /** The queue it takes from, declared on its channel first when it is the instance's own. */
  queueOn(channel: Channel): Promise<string>
  prefetch: number
  deliver(inbound: Inbound, signals: Signals): Promise<void>
  onSubscribed?: () => void
}

/** What the consumers share; changed only by the functions below. */
interface Consumers {
  /** The work queues consumed, whose depths are read. */
  workQueues: string[]
  subscriptions: Subscription[]
  inFlight: Set<Promise<void>>
  draining: AbortController
  log: Logger
  /** The consumers' channels on the current session. */
  subscribed: Array<{ channel: Channel; tag: string; acks: AckBatcher }>
}

/**
 * The bus's consumers, each on a channel of its own with `prefetch` deliveries at most in flight. They are
 * subscribed again on every new session. A delivery is settled on its own channel only: when that closes,
 * its handler's signals abort and the broker redelivers the message, never acked on another channel.
 * A broadcast subscription declares a queue of its own on each session (the last one's went with it).
 */
export function createConsumers(options: ConsumersOptions) {
  const { log, metrics } = options
  const consumers: Consumers = { workQueues: [], subscriptions: [], inFlight: new Set(), draining: new AbortController(), log, subscribed: [] }
  return {
    /** The work queues consumed; not the instance's own queues. */
    queues: () => [...consumers.workQueues],
    async add<T>(session: Session, spec: ConsumerSpec<T>): Promise<void> {
      consumers.workQueues.push(spec.queue)
      const deliver = createDelivery(spec, options, { log, system: 'rabbitmq', metrics })
      await added(consumers, session, { queueOn: async () => spec.queue, prefetch: options.prefetch, deliver })
    },
    async broadcast<T>(session: Session, spec: BroadcastSpec<T>): Promise<void> {
      const deliver = createBroadcastDelivery(spec, { log, system: 'rabbitmq' })
      const queueOn = (channel: Channel) => ownQueue(channel, options.exchange, spec.routingKey)
      await added(consumers, session, { queueOn, prefetch: BROADCAST_PREFETCH, deliver, onSubscribed: subscribedNotice(spec, log) })
    },
    /** Every consumer on a new session; none once draining. */
    async resubscribe(session: Session): Promise<void> {
      consumers.subscribed = []
      if (!consumers.draining.signal.aborted) for (const subscription of consumers.subscriptions) await subscribe(consumers, session, subscription)
    },
    /** Stops new deliveries, aborts the signals of those in flight, and waits for their handlers to settle them. */
    async cancel(): Promise<void> {
      consumers.draining.abort(new Error('the consumer is draining'))
      await Promise.all(consumers.subscribed.map(({ channel, tag }) => channel.cancel(tag).catch(() => undefined)))
      await Promise.allSettled([...consumers.inFlight])
    },
    // connection.close() drops frames still queued on channels, acks included (amqplib #637);
    // closing each channel first is a round trip that flushes them.
    closeChannels: () =>
      Promise.all(
        consumers.subscribed.map(({ channel, acks }) => {
          acks.flush()
          return channel.close().catch(() => undefined)
        }),
      ).then(() => undefined),
  }
}

async function added(consumers: Consumers, session: Session, subscription: Subscription): Promise<void> {
  consumers.subscriptions.push(subscription)
  await subscribe(consumers, session, subscription)
}

/**
 * A classic queue for this connection only, named by the broker and deleted with the connection (or once its
 * consumer is cancelled), bound to `routingKey`.
 */
async function ownQueue(channel: Channel, exchange: string, routingKey: string): Promise<string> {
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false, arguments: { 'x-queue-type': 'classic' } })
  await channel.bindQueue(queue, exchange, routingKey)
  return queue
}

async function subscribe(consumers: Consumers, session: Session, { queueOn, prefetch, deliver, onSubscribed }: Subscription): Promise<void> {
  const channel = await session.connection.createChannel()
  const channelClosed = new AbortController()
  channel.on('close', () => {
    channelClosed.abort(new Error('the channel closed'))
    session.closeWithChannel()
  })
  const { draining, inFlight } = consumers
  const signals = { signal: AbortSignal.any([channelClosed.signal, draining.signal]), channelClosed: channelClosed.signal }
  // Parked copies go out only on a session still open: never on a lost one, whose publisher is gone.
  const publisher = () => (session.closed ? undefined : session.publisher)
  const acks = createAckBatcher(channel, channelClosed.signal, (deliveries, err) => consumers.log.warn({ err, deliveries }, 'could not send acks; the broker will redeliver those messages'))
  await channel.prefetch(prefetch)
  const { consumerTag } = await channel.consume(await queueOn(channel), (raw) => {
    // A null delivery means the broker cancelled the consumer (queue deleted or moved): start over.
    if (!raw) return void channel.close().catch(() => undefined)
    const work = deliver(inboundFrom(channel, acks, raw, publisher), signals)
    inFlight.add(work)
    void work.finally(() => inFlight.delete(work))
  })
  // Read now, not before the awaits: a new session may have replaced the list meanwhile.
  consumers.subscribed.push({ channel, tag: consumerTag, acks })
  onSubscribed?.()
}
