import { MongoClient, MongoError, MongoNetworkError, MongoServerError, MongoServerSelectionError, MongoNotConnectedError, MongoTopologyClosedError, type Collection, type Db, type Filter } from 'mongodb'
import type { Order, OrderStatus } from '@restaurant/shared'
import { listFilter, type Ticket, type TicketStore } from './ticket-store.js'

/** `_id` and `orderId` are the order id; `placedAt` and `status` copy fields of `order` for indexes. */
interface TicketDocument {
  _id: string
  orderId: string
  placedAt: string
  status: OrderStatus
  order: Order
  fingerprint?: string
}

const DUPLICATE_KEY = 11000

/** Whether a failure says the server cannot serve now (unreachable, no primary, failing over) rather than that the request was wrong. */
export function isMongoUnavailable(err: unknown): boolean {
  const unreachable = [MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError, MongoTopologyClosedError].some((kind) => err instanceof kind)
  return unreachable || (err instanceof MongoError && (err.hasErrorLabel('RetryableWriteError') || err.hasErrorLabel('ResetPool')))
}

export interface MongoTicketStoreOptions {
  url: string
  dbName: string
  /** Tests use a collection of their own. */
  collectionName?: string
}

/** The MongoDB ticket store: one document per order, written with majority write concern. */
export async function createMongoTicketStore(options: MongoTicketStoreOptions): Promise<TicketStore> {
  const client = new MongoClient(options.url, {
    serverSelectionTimeoutMS: 5000,
    writeConcern: { w: 'majority' },
    // Otherwise an absent optional field of an order written as `undefined` would come back as `null`.
    ignoreUndefined: true,
  })
  await client.connect()
  const db = client.db(options.dbName)
  const collection = db.collection<TicketDocument>(options.collectionName ?? 'tickets')
  try {
    await ensureIndexes(collection)
  } catch (error) {
    await client.close()
    throw error
  }
  return mongoTicketStore(client, db, collection)
}

function mongoTicketStore(client: MongoClient, db: Db, collection: Collection<TicketDocument>): TicketStore {
  let closed = false

  const get = async (orderId: string): Promise<Ticket | undefined> => {
    const doc = await collection.findOne({ orderId })
    return doc ? toTicket(doc) : undefined
  }

  return {
    async insertIfAbsent(ticket) {
      const doc = toDocument(ticket)
      try {
        await collection.insertOne(doc)
        return { created: true, ticket: toTicket(doc) }
      } catch (error) {
        if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) throw error
        const existing = await get(ticket.order.id)
        if (!existing) throw error
        return { created: false, ticket: existing }
      }
    },
    get,
    async replaceIfStatus(order, expected) {
      const result = await collection.updateOne(
        { orderId: order.id, 'order.status': expected },
        { $set: { order, status: order.status, placedAt: order.placedAt } },
      )
      return result.matchedCount === 1
    },
    async list(query) {
      if (query.limit <= 0) return []
      const docs = await collection
        .find(listFilter(query) as Filter<TicketDocument>)
        .sort({ placedAt: -1, orderId: -1 })
        .limit(query.limit)
        .toArray()
      return docs.map((doc) => doc.order)
    },
    async ping() {
      if (closed) throw new Error('ticket store is closed')
      await db.command({ ping: 1 })
    },
    async close() {
      closed = true
      await client.close()
    },
  }
}

/** One at a time: FerretDB 1.24 drops the connection when a batch of indexes that all exist is created again. */
async function ensureIndexes(collection: Collection<TicketDocument>): Promise<void> {
  const indexes = [
    { key: { orderId: 1 }, unique: true },
    { key: { placedAt: -1, orderId: -1 } },
    { key: { status: 1, placedAt: -1, orderId: -1 } },
    { key: { 'order.owner': 1, placedAt: -1, orderId: -1 } },
  ] as const
  for (const { key, ...options } of indexes) await collection.createIndex(key, options)
}

function toDocument(ticket: Ticket): TicketDocument {
  const { order, fingerprint } = ticket
  const doc: TicketDocument = { _id: order.id, orderId: order.id, placedAt: order.placedAt, status: order.status, order }
  return fingerprint === undefined ? doc : { ...doc, fingerprint }
}

function toTicket(doc: TicketDocument): Ticket {
  return doc.fingerprint === undefined ? { order: doc.order } : { order: doc.order, fingerprint: doc.fingerprint }
}

