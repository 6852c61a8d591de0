import { setTimeout as sleep } from 'node:timers/promises'
import type { Inbound, Signals } from './delivery.js'
import type { MemoryQueues, StoredMessage } from './memory-queues.js'

type Deliver = (inbound: Inbound, signals: Signals) => Promise<void>

interface Consumer {
  queue: string
  deliver: Deliver
  /** Aborted when the channel closes; a new one replaces it on reconnect. */
  channel: AbortController
  unacked: Set<StoredMessage>
}

/**
 * The consumers of a memory bus, each on a channel of its own with `prefetch` deliveries at most in flight.
 * A delivery is settled on the channel it came on: once that closed (disconnect, close), its unacked
 * messages are back on their queue as redeliveries and a late ack throws, as amqplib's does.
 */
export function createMemoryConsumers(queues: MemoryQueues, prefetch: number) {
  const consumers: Consumer[] = []
  const inFlight = new Set<Promise<void>>()
  const draining = new AbortController()
  let state: 'connected' | 'disconnected' | 'closed' = 'connected'
  let pumping = false

  function ready(): void {
    if (pumping) return
    pumping = true
    setImmediate(pump)
  }

  function pump(): void {
    pumping = false
    if (state !== 'connected' || draining.signal.aborted) return
    for (const consumer of consumers) {
      while (consumer.unacked.size < prefetch) {
        const message = queues.take(consumer.queue)
        if (!message) break
        dispatch(consumer, message)
      }
    }
  }

  function dispatch(consumer: Consumer, message: StoredMessage): void {
    const { signal: channelClosed } = consumer.channel
    consumer.unacked.add(message)
    const settling = (action: () => void) => () => {
      if (channelClosed.aborted) throw new Error('Channel closed')
      if (!consumer.unacked.delete(message)) throw new Error('unknown delivery tag')
      action()
      ready()
    }
    const inbound: Inbound = {
      ...message,
      ack: settling(() => undefined),
      reject: settling(() => queues.deadLetter(consumer.queue, message, 'rejected')),
      requeue: settling(() => queues.giveBack(consumer.queue, message)),
      async park(queue, headers) {
        if (state !== 'connected') throw new Error('no connection to park the message on')
        queues.send(queue, { ...message, headers, redelivered: false, returns: 0 })
      },
    }
    const work = consumer.deliver(inbound, { signal: AbortSignal.any([channelClosed, draining.signal]), channelClosed })
    inFlight.add(work)
    void work.finally(() => inFlight.delete(work))
  }

  function closeChannels(): void {
    for (const consumer of consumers) {
      consumer.channel.abort(new Error('the channel closed'))
      for (const message of consumer.unacked) queues.giveBack(consumer.queue, message)
      consumer.unacked.clear()
    }
  }

  const idle = () => inFlight.size === 0 && queues.delayed() === 0 && (state !== 'connected' || draining.signal.aborted || consumers.every(({ queue }) => queues.messages(queue).length === 0))

  return {
    ready,
    connected: () => state === 'connected',
    add(queue: string, deliver: Deliver): void {
      consumers.push({ queue, deliver, channel: new AbortController(), unacked: new Set() })
      ready()
    },
    async cancel(): Promise<void> {
      draining.abort(new Error('the consumer is draining'))
      await Promise.allSettled([...inFlight])
    },
    disconnect(): void {
      if (state !== 'connected') return
      state = 'disconnected'
      closeChannels()
    },
    reconnect(): void {
      if (state !== 'disconnected') return
      state = 'connected'
      for (const consumer of consumers) consumer.channel = new AbortController()
      ready()
    },
    close(): void {
      if (state === 'connected') closeChannels()
      state = 'closed'
    },
    async settled(timeoutMs: number): Promise<void> {
      const deadline = Date.now() + timeoutMs
      while (!idle()) {
        if (Date.now() > deadline) throw new Error('the memory bus did not settle in time')
        await sleep(1)
      }
    },
  }
}
