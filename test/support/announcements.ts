import amqp from 'amqplib'
import { routingKeys, topologyFor, type Order, type OrderStatusChangedMessage } from '@restaurant/shared'
import { AMQP_URL } from './isolation.js'

/**
 * Every status the kitchens announce in a namespace, as the broker carried it: a queue of the test's own bound
 * to the exchange before any service starts. The durable record of what was announced, not a log line.
 */
export async function captureAnnouncements(namespace: string) {
  const topology = topologyFor(namespace)
  const connection = await amqp.connect(AMQP_URL)
  const channel = await connection.createChannel()
  await channel.assertExchange(topology.exchange, 'topic', { durable: true })
  const { queue } = await channel.assertQueue(`${namespace}.test.announcements`, { durable: true })
  await channel.bindQueue(queue, topology.exchange, routingKeys.orderStatusChanged)
  const announced: Order[] = []
  await channel.consume(queue, (message) => {
    // The kitchen validated what it published; the consumers' own tests check the contract.
    if (message) announced.push((JSON.parse(message.content.toString('utf8')) as OrderStatusChangedMessage).order)
  }, { noAck: true })
  return {
    announced: (): readonly Order[] => announced,
    async close() {
      await channel.deleteQueue(queue)
      await connection.close()
    },
  }
}

export type Announcements = Awaited<ReturnType<typeof captureAnnouncements>>
