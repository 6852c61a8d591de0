/**
 * The peer pipeline's order service, written as the popular guides write it: the RabbitMQ tutorials' "Work
 * Queues" (durable queue, persistent messages) and "Publisher Confirms" pages, amqplib's `waitForConfirms` example,
 * and the usual Express + amqplib microservice walk-throughs (devcraftly's "Project: Microservices System",
 * cosmiclearn's "Node.js Microservices": an Express app per service with its own database, an order published to a
 * queue, a consumer that records what comes back). bench/notes.md says what it leaves out.
 * With our queue type (quorum), publisher confirms and store (SQLite, WAL), so the comparison is fair.
 *
 * `POST /api/orders` checks the body minimally, publishes the order persistently on a confirm channel and answers
 * 202 with its id once the broker confirms it. Status events are recorded in this service's own SQLite file (one
 * database per service, as the guides have it), last one wins. No idempotency, auth, rate limits or view rules.
 */
import { randomUUID } from 'node:crypto'
import express from 'express'
import { openDatabase } from '@restaurant/platform/stores/sqlite-database'
import { isOrderBody, openPeerChannel, peerEnv, peerStoreFiles, statusSchema } from './peer-setup.js'

const { amqpUrl, prefix, dataDir, port } = peerEnv()
const { connection, channel, queues } = await openPeerChannel(amqpUrl, prefix)
const db = openDatabase(peerStoreFiles(dataDir).orders, statusSchema)
const recordStatus = db.prepare(
  'INSERT INTO order_status (id, status, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at',
)

const statusChannel = await connection.createChannel()
await statusChannel.prefetch(50)
await statusChannel.consume(queues.statuses, (message) => {
  if (!message) return
  const { orderId, status } = JSON.parse(message.content.toString()) as { orderId: string; status: string }
  recordStatus.run(orderId, status, Date.now())
  statusChannel.ack(message)
})

const app = express()
app.use(express.json())
app.post('/api/orders', (request, response, next) => {
  if (!isOrderBody(request.body)) {
    response.status(400).json({ error: 'items must be a non-empty list of { menuItemId, quantity }' })
    return
  }
  const order = { id: randomUUID(), items: request.body.items, placedAt: new Date().toISOString() }
  channel.sendToQueue(queues.orders, Buffer.from(JSON.stringify(order)), { persistent: true, contentType: 'application/json' }, (error: unknown) => {
    if (error) return next(error)
    response.status(202).json({ id: order.id, status: 'placed' })
  })
})
app.listen(port, '127.0.0.1')
