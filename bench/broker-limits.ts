import { performance } from 'node:perf_hooks'
import amqp, { type Channel, type ConfirmChannel } from 'amqplib'
import { AMQP_URL } from '../test/support/isolation.js'
import { percentile } from './stats.js'
import { within } from './within.js'

export interface BrokerRun {
  messagesPerSecond: number
  seconds: number
  /** One publish at a time, each waiting for its confirm: the floor under every confirmed hop. */
  confirmMedianMs: number
  confirmP99Ms: number
}

const timedConfirms = 200

// About the size of an order.placed message (an order of two lines with its history, and a fingerprint).
const payload = Buffer.from(JSON.stringify({ filler: 'x'.repeat(1000) }))

/**
 * The broker's own limit for our kind of message: persistent, mandatory publishes through a topic exchange
 * onto a quorum queue, on a confirm channel with up to `window` confirms outstanding, while a consumer on
 * another connection takes them (prefetch `window`, one ack per message) at the same time. The rate is
 * messages from the first publish to the last one consumed. Then `timedConfirms` publishes one at a time,
 * each timed to its confirm.
 */
export async function measureBroker(namespace: string, run: number, messages: number, window: number, timeoutMs = 60_000): Promise<BrokerRun> {
  const [publisherConnection, consumerConnection] = await Promise.all([amqp.connect(AMQP_URL), amqp.connect(AMQP_URL)])
  // A broker going away fails the run (through its deadline), not the whole process.
  for (const connection of [publisherConnection, consumerConnection]) connection.on('error', () => undefined)
  const exchange = `${namespace}.bench-raw`
  const queue = `${namespace}.bench-raw-${run}`
  try {
    const publisher = await publisherConnection.createConfirmChannel()
    await publisher.assertExchange(exchange, 'topic', { durable: true })
    await publisher.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } })
    await publisher.bindQueue(queue, exchange, queue)
    const consumer = await consumerConnection.createChannel()
    await consumer.prefetch(window)
    const started = performance.now()
    const consumed = consumeAll(consumer, queue, messages)
    await within(Promise.all([publishAll(publisher, exchange, queue, messages, window), consumed]), timeoutMs, 'the raw broker run')
    const seconds = (performance.now() - started) / 1000
    const confirms = await within(timeConfirms(publisher, exchange, queue), timeoutMs, 'the timed confirms')
    return { messagesPerSecond: messages / seconds, seconds, confirmMedianMs: percentile(confirms, 0.5), confirmP99Ms: percentile(confirms, 0.99) }
  } finally {
    await consumerConnection.close().catch(() => undefined)
    const cleaner = await publisherConnection.createChannel()
    await cleaner.deleteQueue(queue)
    await cleaner.deleteExchange(exchange)
    await publisherConnection.close()
  }
}

/** Publishes `count` messages keeping at most `window` unconfirmed; resolves once all are confirmed. */
function publishAll(channel: ConfirmChannel, exchange: string, routingKey: string, count: number, window: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0
    let confirmed = 0
    let waitingForDrain = false
    const pump = () => {
      while (!waitingForDrain && sent < count && sent - confirmed < window) {
        sent += 1
        const accepted = channel.publish(exchange, routingKey, payload, { persistent: true, mandatory: true }, (err) => {
          if (err) return reject(new Error('the broker refused a message'))
          confirmed += 1
          if (confirmed === count) resolve()
          else pump()
        })
        if (!accepted) {
          waitingForDrain = true
          channel.once('drain', () => {
            waitingForDrain = false
            pump()
          })
        }
      }
    }
    pump()
  })
}

/** Milliseconds from each publish to its confirm, one message at a time, sorted. */
async function timeConfirms(channel: ConfirmChannel, exchange: string, routingKey: string): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < timedConfirms; i++) {
    const started = performance.now()
    await new Promise<void>((resolve, reject) =>
      channel.publish(exchange, routingKey, payload, { persistent: true, mandatory: true }, (err) => (err ? reject(new Error('the broker refused a message')) : resolve())),
    )
    times.push(performance.now() - started)
  }
  return times.sort((a, b) => a - b)
}

function consumeAll(channel: Channel, queue: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let received = 0
    channel
      .consume(queue, (message) => {
        if (!message) return reject(new Error('the consumer was cancelled'))
        channel.ack(message)
        received += 1
        if (received === count) resolve()
      })
      .catch(reject)
  })
}
