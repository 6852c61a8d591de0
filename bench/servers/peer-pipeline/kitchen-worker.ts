/**
 * The peer pipeline's kitchen, as the RabbitMQ tutorials' "Work Queues" worker and amqplib's
 * `examples/tutorials/worker.js` write it (prefetch, manual ack after the work), with the confirm channel of the
 * "Publisher Confirms" tutorial for its status events: each order is written to this service's SQLite file (WAL, as
 * our embedded store), `cooking` and `ready` are published persistently, and the order is acked once both are
 * confirmed. Cooking takes no time, as ours at speed 0. No idempotency, claims or leases: a redelivered order fails
 * its insert and is dropped. Its port answers anything, only so the benchmark sees it is up.
 */
import { createServer } from 'node:http'
import { openDatabase } from '@restaurant/platform/stores/sqlite-database'
import { openPeerChannel, peerEnv, peerStoreFiles, type OrderLine } from './peer-setup.js'

const { amqpUrl, prefix, dataDir, port } = peerEnv()
const { connection, channel, queues } = await openPeerChannel(amqpUrl, prefix)
const db = openDatabase(
  peerStoreFiles(dataDir).kitchen,
  'CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, items TEXT NOT NULL, placed_at TEXT NOT NULL, cooked_at INTEGER NOT NULL)',
)
const insertOrder = db.prepare('INSERT INTO orders (id, items, placed_at, cooked_at) VALUES (?, ?, ?, ?)')

const publishStatus = (orderId: string, status: 'cooking' | 'ready') =>
  new Promise<void>((resolve, reject) => {
    const event = Buffer.from(JSON.stringify({ orderId, status, at: new Date().toISOString() }))
    channel.sendToQueue(queues.statuses, event, { persistent: true, contentType: 'application/json' }, (error: unknown) => (error ? reject(error) : resolve()))
  })

const orderChannel = await connection.createChannel()
await orderChannel.prefetch(50)
await orderChannel.consume(queues.orders, async (message) => {
  if (!message) return
  try {
    const order = JSON.parse(message.content.toString()) as { id: string; items: OrderLine[]; placedAt: string }
    insertOrder.run(order.id, JSON.stringify(order.items), order.placedAt, Date.now())
    await Promise.all([publishStatus(order.id, 'cooking'), publishStatus(order.id, 'ready')])
    orderChannel.ack(message)
  } catch {
    orderChannel.nack(message, false, false)
  }
})

createServer((_request, response) => response.end('ok')).listen(port, '127.0.0.1')
