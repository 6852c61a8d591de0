import { MongoClient, type Collection, type Db, type Filter } from 'mongodb'
import { isDuplicate } from '@restaurant/platform/stores/mongo-errors'
import { storedOrder, type Ticket } from '../../domain/ticket.js'
import { ClaimTakenOverError, type TicketStore } from '../../use-cases/ticket-store.js'
import { mongoClaims, mongoLeases, mongoWitness, type ClaimDocument, type LeaseDocument, type UnitEndDocument, type WitnessDocument } from './mongo-kitchen-record.js'
import { mongoSteps, type StepDocument } from './mongo-steps.js'
import {
  claimsCollectionOf,
  leasesCollectionOf,
  listFilter,
  stepsCollectionOf,
  ticketOfDocument,
  toDocument,
  unitEndsCollectionOf,
  witnessCollectionOf,
  type TicketDocument,
} from './mongo-ticket-documents.js'

export interface MongoTicketStoreOptions {
  url: string
  dbName: string
  /** Tests use a collection of their own. */
  collectionName?: string
}

/**
 * The MongoDB ticket store: one document per order, written with majority write concern, each transition won
 * by the insert of its step (mongo-steps.ts); claims, leases and the witness in collections beside it.
 */
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
  const claims = mongoClaims(db.collection<ClaimDocument>(claimsCollectionOf(collection.collectionName)))
  return { ...ticketMethods(db, collection, claims), ...kitchenRecord(db, collection, claims), ...lifecycle(client, db) }
}

type MongoClaims = ReturnType<typeof mongoClaims>

function ticketMethods(db: Db, collection: Collection<TicketDocument>, claims: MongoClaims): Pick<TicketStore, 'insertIfAbsent' | 'get' | 'replaceIfStatus' | 'list'> {
  const steps = mongoSteps(collection, db.collection<StepDocument>(stepsCollectionOf(collection.collectionName)))
  const get = async (orderId: string): Promise<Ticket | undefined> => {
    const doc = await collection.findOne({ _id: orderId })
    return doc ? ticketOfDocument(doc) : undefined
  }
  return {
    async insertIfAbsent(ticket) {
      const doc = toDocument(ticket)
      try {
        await collection.insertOne(doc)
        return { created: true, ticket: ticketOfDocument(doc) }
      } catch (error) {
        if (!isDuplicate(error)) throw error
        const existing = await get(ticket.order.id)
        if (!existing) throw error
        return { created: false, ticket: existing }
      }
    },
    get,
    async replaceIfStatus(order, expected, fence) {
      const current = (await get(order.id))?.order
      // Read just before the step's insert: the insert alone decides between writers racing within this window.
      if (fence !== undefined && (await claims.exists(order.id, fence + 1))) throw new ClaimTakenOverError(fence, order.id)
      if (current?.status !== expected || current.version !== order.version - 1) return false
      return steps.take(order, fence)
    },
    async list(query) {
      if (query.limit <= 0) return []
      const docs = await collection
        .find(listFilter(query) as Filter<TicketDocument>)
        .sort({ placedAt: -1, orderId: -1 })
        .limit(query.limit)
        .toArray()
      return docs.map((doc) => storedOrder(doc.order))
    },
  }
}

/** Claims, leases and the witness, each in its collection beside the tickets. */
function kitchenRecord(db: Db, collection: Collection<TicketDocument>, claims: MongoClaims): Omit<TicketStore, 'insertIfAbsent' | 'get' | 'replaceIfStatus' | 'list' | 'ping' | 'close'> {
  const name = collection.collectionName
  const claimNumbers = async (orderId: string) => (await claims.claims(orderId)).map((claim) => claim.number)
  // An order's lines never change: read them from the ticket as it is, without finishing a pending step.
  const linesOf = async (orderId: string) => (await collection.findOne<Pick<TicketDocument, 'order'>>({ _id: orderId }, { projection: { 'order.lines': 1 } }))?.order.lines
  return {
    claims: claims.claims,
    insertClaim: claims.insertClaim,
    updateClaim: claims.updateClaim,
    ...mongoLeases(db.collection<LeaseDocument>(leasesCollectionOf(name))),
    ...mongoWitness(
      { starts: db.collection<WitnessDocument>(witnessCollectionOf(name)), ends: db.collection<UnitEndDocument>(unitEndsCollectionOf(name)) },
      claimNumbers,
      linesOf,
    ),
  }
}

function lifecycle(client: MongoClient, db: Db): Pick<TicketStore, 'ping' | 'close'> {
  let closed = false
  return {
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
