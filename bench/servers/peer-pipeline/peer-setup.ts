/**
 * What the peer pipeline's two processes share, as the guides' "order service / kitchen service" pairs do: the
 * queue names, one connection with a confirm channel for publishes, the order body's check and the store files.
 * Both processes declare both queues (the RabbitMQ tutorials' habit), as quorum queues so the broker's work per
 * message is the same as ours.
 */
import { join } from 'node:path'
import amqp from 'amqplib'

export interface PeerQueues {
  orders: string
  statuses: string
}

export const peerQueues = (prefix: string): PeerQueues => ({ orders: `${prefix}.orders`, statuses: `${prefix}.order-status` })

/** The kitchen worker's orders and the order API's statuses: a file each, one database per service. */
export const peerStoreFiles = (dataDir: string) => ({ kitchen: join(dataDir, 'kitchen.db'), orders: join(dataDir, 'orders.db') })

export const statusSchema = 'CREATE TABLE IF NOT EXISTS order_status (id TEXT PRIMARY KEY, status TEXT NOT NULL, updated_at INTEGER NOT NULL)'
export const readyCountQuery = "SELECT count(*) FROM order_status WHERE status = 'ready'"

/** Read once by each process's entry. */
export function peerEnv() {
  const env = (name: string) => process.env[name] ?? ''
  return { amqpUrl: env('AMQP_URL'), prefix: env('PEER_PREFIX'), dataDir: env('PEER_DATA_DIR'), port: Number(env('PORT')) }
}

export async function openPeerChannel(amqpUrl: string, prefix: string) {
  const connection = await amqp.connect(amqpUrl)
  const channel = await connection.createConfirmChannel()
  const queues = peerQueues(prefix)
  for (const queue of [queues.orders, queues.statuses]) await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } })
  return { connection, channel, queues }
}

export interface OrderLine {
  menuItemId: string
  quantity: number
}

const isOrderLine = (line: unknown): line is OrderLine =>
  typeof line === 'object' &&
  line !== null &&
  typeof (line as OrderLine).menuItemId === 'string' &&
  Number.isInteger((line as OrderLine).quantity) &&
  (line as OrderLine).quantity > 0

/** The guides' minimal check: a non-empty list of items, each a menu item id and a positive quantity. */
export function isOrderBody(body: unknown): body is { items: OrderLine[] } {
  const items = (body as { items?: unknown } | undefined)?.items
  return Array.isArray(items) && items.length > 0 && items.every(isOrderLine)
}
