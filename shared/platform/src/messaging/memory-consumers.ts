import { setTimeout as sleep } from 'node:timers/promises'
import type { RoutingKey } from '@restaurant/contracts/messages'
import type { Inbound, Signals } from './delivery.js'
import type { MemoryQueues, StoredMessage } from './memory-queues.js'

type Deliver = (inbound: Inbound, signals: Signals) => Promise<void>

interface Consumer {
  queue: string
  deliver: Deliver
  /** Aborted when the channel closes; a new one replaces it on reconnect. */
  channel: AbortController
  unacked: Set<StoredMessage>
  /** A queue of its own, declared on every connection (then `onSubscribed`) and gone with it. */
  own?: { routingKey: RoutingKey; onSubscribed: () => void }
}

/** What the consumers of one memory bus share; changed only by the functions below. */
interface Consumers {
  queues: MemoryQueues
  prefetch: number
  list: Consumer[]
  inFlight: Set<Promise<void>>
  draining: AbortController
  state: 'connected' | 'disconnected' | 'closed'
  /** A pump is scheduled. */
  pumping: boolean
}

/**
 * The consumers of a memory bus, each on a channel of its own with `prefetch` deliveries at most in flight.
 * A delivery is settled on the channel it came on: once that closed (disconnect, close), its unacked
 * messages are back on their queue as redeliveries and a late ack throws, as amqplib's does. A consumer on a
 * queue of its own (a broadcast subscription) loses the queue, with its messages, and gets a new one on reconnect.
 */
export function createMemoryConsumers(queues: MemoryQueues, prefetch: number) {
  const consumers: Consumers = { queues, prefetch, list: [], inFlight: new Set(), draining: new AbortController(), state: 'connected', pumping: false }
  return {
    ready: () => ready(consumers),
    connected: () => consumers.state === 'connected',
    add(queue: string, deliver: Deliver): void {
      consumers.list.push({ queue, deliver, channel: new AbortController(), unacked: new Set() })
      ready(consumers)
    },
    addOwn(routingKey: RoutingKey, deliver: Deliver, onSubscribed: () => void): void {
      const consumer: Consumer = { queue: '', deliver, channel: new AbortController(), unacked: new Set(), own: { routingKey, onSubscribed } }
      consumers.list.push(consumer)
      if (consumers.state === 'connected') declareOwn(consumers, consumer)
    },
    async cancel(): Promise<void> {
      consumers.draining.abort(new Error('the consumer is draining'))
      // As RabbitMQ deletes an auto-delete queue once its consumer is cancelled.
      for (const { own, queue } of consumers.list) if (own) consumers.queues.remove(queue)
      await Promise.allSettled([...consumers.inFlight])
    },
    disconnect: () => disconnect(consumers),
    reconnect: () => reconnect(consumers),
    close(): void {
      if (consumers.state === 'connected') closeChannels(consumers)
      consumers.state = 'closed'
    },
    settled: (timeoutMs: number) => settled(consumers, timeoutMs),
  }
}

function ready(consumers: Consumers): void {
  if (consumers.pumping) return
  consumers.pumping = true
  setImmediate(() => pump(consumers))
}

function pump(consumers: Consumers): void {
  consumers.pumping = false
  if (consumers.state !== 'connected' || consumers.draining.signal.aborted) return
  for (const consumer of consumers.list) {
    while (consumer.unacked.size < consumers.prefetch) {
      const message = consumers.queues.take(consumer.queue)
      if (!message) break
      dispatch(consumers, consumer, message)
    }
  }
}

function dispatch(consumers: Consumers, consumer: Consumer, message: StoredMessage): void {
  const { signal: channelClosed } = consumer.channel
  consumer.unacked.add(message)
  const work = consumer.deliver(inboundOf(consumers, consumer, message), { signal: AbortSignal.any([channelClosed, consumers.draining.signal]), channelClosed })
  consumers.inFlight.add(work)
  void work.finally(() => consumers.inFlight.delete(work))
}

function inboundOf(consumers: Consumers, consumer: Consumer, message: StoredMessage): Inbound {
  const { queues } = consumers
  const { signal: channelClosed } = consumer.channel
  const settling = (action: () => void) => () => {
    if (channelClosed.aborted) throw new Error('Channel closed')
    if (!consumer.unacked.delete(message)) throw new Error('unknown delivery tag')
    action()
    ready(consumers)
  }
  return {
    ...message,
    ack: settling(() => undefined),
    reject: settling(() => queues.deadLetter(consumer.queue, message, 'rejected')),
    requeue: settling(() => queues.giveBack(consumer.queue, message)),
    async park(queue, headers) {
      if (consumers.state !== 'connected') throw new Error('no connection to park the message on')
      queues.send(queue, { ...message, headers, redelivered: false, returns: 0 })
    },
  }
}

function disconnect(consumers: Consumers): void {
  if (consumers.state !== 'connected') return
  consumers.state = 'disconnected'
  closeChannels(consumers)
}

function reconnect(consumers: Consumers): void {
  if (consumers.state !== 'disconnected') return
  consumers.state = 'connected'
  for (const consumer of consumers.list) {
    consumer.channel = new AbortController()
    if (!consumers.draining.signal.aborted) declareOwn(consumers, consumer)
  }
  ready(consumers)
}

function declareOwn(consumers: Consumers, consumer: Consumer): void {
  if (!consumer.own) return
  consumer.queue = consumers.queues.declareOwn(consumer.own.routingKey)
  consumer.own.onSubscribed()
  ready(consumers)
}

function closeChannels({ list, queues }: Consumers): void {
  for (const consumer of list) {
    consumer.channel.abort(new Error('the channel closed'))
    if (consumer.own) queues.remove(consumer.queue)
    else for (const message of consumer.unacked) queues.giveBack(consumer.queue, message)
    consumer.unacked.clear()
  }
}

async function settled(consumers: Consumers, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!idle(consumers)) {
    if (Date.now() > deadline) throw new Error('the memory bus did not settle in time')
    await sleep(1)
  }
}

function idle({ inFlight, queues, state, draining, list }: Consumers): boolean {
  const nothingReady = state !== 'connected' || draining.signal.aborted || list.every(({ queue }) => queues.messages(queue).length === 0)
  return inFlight.size === 0 && queues.delayed() === 0 && nothingReady
}
