import type { Channel } from 'amqplib'
import type { Logger } from 'pino'
import type { BusMetrics } from '../runtime/metrics.js'
import { createDelivery, type ConsumerSpec, type DeliveryPolicy } from './delivery.js'
import { inboundFrom } from './rabbit-delivery.js'
import type { Session } from './rabbit-session.js'

export interface ConsumersOptions extends DeliveryPolicy {
  log: Logger
  prefetch: number
  metrics?: BusMetrics
}

/** What the consumers share; changed only by the functions below. */
interface Consumers {
  options: ConsumersOptions
  specs: Array<ConsumerSpec<never>>
  inFlight: Set<Promise<void>>
  draining: AbortController
  /** The consumers' channels on the current session. */
  subscribed: Array<{ channel: Channel; tag: string }>
}

/**
 * The bus's consumers, each on a channel of its own with `prefetch` deliveries at most in flight. They are
 * subscribed again on every new session. A delivery is settled on its own channel only: when that closes,
 * its handler's signals abort and the broker redelivers the message, never acked on another channel.
 */
export function createConsumers(options: ConsumersOptions) {
  const consumers: Consumers = { options, specs: [], inFlight: new Set(), draining: new AbortController(), subscribed: [] }
  return {
    /** The queues consumed. */
    queues: () => consumers.specs.map((spec) => spec.queue),
    async add<T>(session: Session, spec: ConsumerSpec<T>): Promise<void> {
      consumers.specs.push(spec as ConsumerSpec<never>)
      await subscribe(consumers, session, spec)
    },
    /** Every consumer on a new session; none once draining. */
    async resubscribe(session: Session): Promise<void> {
      consumers.subscribed = []
      if (!consumers.draining.signal.aborted) for (const spec of consumers.specs) await subscribe(consumers, session, spec)
    },
    /** Stops new deliveries, aborts the signals of those in flight, and waits for their handlers to settle them. */
    async cancel(): Promise<void> {
      consumers.draining.abort(new Error('the consumer is draining'))
      await Promise.all(consumers.subscribed.map(({ channel, tag }) => channel.cancel(tag).catch(() => undefined)))
      await Promise.allSettled([...consumers.inFlight])
    },
    // connection.close() drops frames still queued on channels, acks included (amqplib #637);
    // closing each channel first is a round trip that flushes them.
    closeChannels: () => Promise.all(consumers.subscribed.map(({ channel }) => channel.close().catch(() => undefined))).then(() => undefined),
  }
}

async function subscribe<T>(consumers: Consumers, session: Session, spec: ConsumerSpec<T>): Promise<void> {
  const channel = await session.connection.createChannel()
  const channelClosed = new AbortController()
  channel.on('close', () => {
    channelClosed.abort(new Error('the channel closed'))
    session.closeWithChannel()
  })
  const { options, draining, inFlight } = consumers
  const signals = { signal: AbortSignal.any([channelClosed.signal, draining.signal]), channelClosed: channelClosed.signal }
  // Parked copies go out only on a session still open: never on a lost one, whose publisher is gone.
  const publisher = () => (session.closed ? undefined : session.publisher)
  await channel.prefetch(options.prefetch)
  const deliver = createDelivery(spec, options, { log: options.log, system: 'rabbitmq', metrics: options.metrics })
  const { consumerTag } = await channel.consume(spec.queue, (raw) => {
    // A null delivery means the broker cancelled the consumer (queue deleted or moved): start over.
    if (!raw) return void channel.close().catch(() => undefined)
    const work = deliver(inboundFrom(channel, raw, publisher), signals)
    inFlight.add(work)
    void work.finally(() => inFlight.delete(work))
  })
  // Read now, not before the awaits: a new session may have replaced the list meanwhile.
  consumers.subscribed.push({ channel, tag: consumerTag })
}
