import { setTimeout as sleep } from 'node:timers/promises'
import type { ChannelModel } from 'amqplib'
import { routingKeys, topologyFor, type OrderStatusChangedMessage } from '@restaurant/contracts/messages'
import type { Order } from '@restaurant/contracts/orders'
import { connectToBroker } from './isolation.js'

/**
 * Every status the kitchens announce in a namespace, as the broker carried it: a durable queue of the test's
 * own, bound to the exchange before any service starts, read (and acked) as it fills. The durable record of
 * what was announced, not a log line. When the broker restarts, reading resumes where it stopped.
 */
export async function captureAnnouncements(namespace: string, amqpUrls?: readonly string[]) {
  const topology = topologyFor(namespace)
  const queue = `${namespace}.test.announcements`
  const announced: Order[] = []
  let closing = false
  let connection: ChannelModel | undefined

  async function follow(): Promise<void> {
    connection = await connectToBroker(amqpUrls)
    connection.on('error', () => undefined)
    connection.on('close', () => void (closing ? undefined : followAgain()))
    const channel = await connection.createChannel()
    await channel.assertExchange(topology.exchange, 'topic', { durable: true })
    // A quorum queue: on a cluster it outlives the member it was declared on.
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } })
    await channel.bindQueue(queue, topology.exchange, routingKeys.orderStatusChanged)
    await channel.consume(queue, (message) => {
      if (!message) return
      // The kitchen validated what it published; the consumers' own tests check the contract.
      announced.push((JSON.parse(message.content.toString('utf8')) as OrderStatusChangedMessage).order)
      channel.ack(message)
    })
  }

  async function followAgain(): Promise<void> {
    while (!closing) {
      await sleep(500)
      if (await follow().then(() => true, () => false)) return
    }
  }

  await follow()
  return {
    announced: (): readonly Order[] => announced,
    async close() {
      closing = true
      await connection?.close().catch(() => undefined)
      const cleanup = await connectToBroker(amqpUrls)
      try {
        await (await cleanup.createChannel()).deleteQueue(queue)
      } finally {
        await cleanup.close()
      }
    },
  }
}
