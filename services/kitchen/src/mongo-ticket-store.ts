import { MongoClient, MongoError, MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError, MongoTopologyClosedError, type Collection, type Db, type Filter } from 'mongodb'
import type { Order, OrderStatus } from '@restaurant/contracts'
import { isDuplicate, mongoClaims, mongoLeases, mongoWitness, type ClaimDocument, type LeaseDocument, type WitnessDocument } from './mongo-kitchen-record.js'
import { ClaimTakenOverError, listFilter, storedOrder, ticketOf, type Ticket, type TicketStore } from './ticket-store.js'

/** `_id` and `orderId` are the order id; `placedAt` and `status` copy fields of `order` for indexes. */
interface TicketDocument {
  _id: string
  orderId: string
  placedAt: string
  status: OrderStatus
  order: Order
  fingerprint?: string
  committedBy?: number
}

/** A state of an order and the claim whose holder wrote it (none when no holder did). */
type Step = Pick<TicketDocument, 'order' | 'committedBy'>

/** One step of one order: `_id` is `{orderId}@{version}`, unique, so each version of an order is written once. */
type StepDocument = Step & { _id: string }

const stepId = (order: Pick<Order, 'id' | 'version'>) => `${order.id}@${order.version}`

/**
 * Whether a failure says the server cannot serve now (unreachable, no primary, failing over, or FerretDB's SQLite
 * busy with another writer past its wait) rather than that the request was wrong.
 */
export function isMongoUnavailable(err: unknown): boolean {
  const unreachable = [MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError, MongoTopologyClosedError].some((kind) => err instanceof kind)
  if (unreachable || !(err instanceof MongoError)) return unreachable
  return err.hasErrorLabel('RetryableWriteError') || err.hasErrorLabel('ResetPool') || FERRETDB_BUSY.test(err.message)
}

// FerretDB 1.x answers InternalError (code 1) with this text when its SQLite file stays locked by another write.
const FERRETDB_BUSY = /\(SQLITE_BUSY\)/

export interface MongoTicketStoreOptions {
  url: string
  dbName: string
  /** Tests use a collection of their own. */
  collectionName?: string
}

/**
 * The MongoDB ticket store: one document per order, written with majority write concern. A transition is won by
 * inserting its step (the order's next version) into a collection beside it, whose `_id` is unique: an insert is
 * atomic on every server that speaks MongoDB's protocol (FerretDB 1.x's filtered update is a read, then a write,
 * and two writers can both match). Only the winner then writes the ticket, so ticket writes are one at a time.
 * A winner that died before writing the ticket leaves it a step behind until the next writer loses that step
 * and writes it: the kitchen that takes the order over.
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
  const name = options.collectionName ?? 'tickets'
  const collection = db.collection<TicketDocument>(name)
  try {
    await ensureIndexes(collection)
  } catch (error) {
    await client.close()
    throw error
  }
  return mongoTicketStore(client, db, collection)
}

/** Where the steps of the tickets in `collectionName` are kept. */
export function stepsCollectionOf(collectionName: string): string {
  return `${collectionName}.steps`
}

/** Where the claims on the tickets in `collectionName` are kept. */
export function claimsCollectionOf(collectionName: string): string {
  return `${collectionName}.claims`
}

/** Where the leases of the kitchens that claim the tickets in `collectionName` are kept. */
export function leasesCollectionOf(collectionName: string): string {
  return `${collectionName}.leases`
}

/** Where the witness of the cooking of the tickets in `collectionName` is kept. */
export function witnessCollectionOf(collectionName: string): string {
  return `${collectionName}.witness`
}

function mongoTicketStore(client: MongoClient, db: Db, collection: Collection<TicketDocument>): TicketStore {
  let closed = false
  const steps = db.collection<StepDocument>(stepsCollectionOf(collection.collectionName))
  const claims = mongoClaims(db.collection<ClaimDocument>(claimsCollectionOf(collection.collectionName)))

  const get = async (orderId: string): Promise<Ticket | undefined> => {
    const doc = await collection.findOne({ _id: orderId })
    return doc ? ticketOfDocument(doc) : undefined
  }
  /**
   * Writes to the ticket the steps won after `version` whose writer died before writing them. Only a writer
   * that loses a step looks: a lookup of an `_id` that is not there scans the whole collection on FerretDB 1.x.
   */
  const finishSteps = async (orderId: string, version: number): Promise<void> => {
    for (let next = await steps.findOne({ _id: stepId({ id: orderId, version: version + 1 }) }); next; ) {
      await write({ order: next.order, ...committer(next.committedBy) })
      next = await steps.findOne({ _id: stepId({ id: orderId, version: next.order.version + 1 }) })
    }
  }
  const write = ({ order, committedBy }: Step) => {
    const fields = { order, status: order.status, placedAt: order.placedAt }
    return collection.updateOne({ _id: order.id }, committedBy === undefined ? { $set: fields, $unset: { committedBy: '' } } : { $set: { ...fields, committedBy } })
  }

  const claimNumbers = async (orderId: string) => (await claims.claims(orderId)).map((claim) => claim.number)
  // An order's lines never change: read them from the ticket as it is, without finishing a pending step.
  const linesOf = async (orderId: string) => (await collection.findOne<Pick<TicketDocument, 'order'>>({ _id: orderId }, { projection: { 'order.lines': 1 } }))?.order.lines
  const witness = mongoWitness(db.collection<WitnessDocument>(witnessCollectionOf(collection.collectionName)), claimNumbers, linesOf)

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
      const step = { order, ...committer(fence) }
      try {
        await steps.insertOne({ _id: stepId(order), ...step })
      } catch (error) {
        if (!isDuplicate(error)) throw error
        await finishSteps(order.id, current.version)
        return false
      }
      await write(step)
      return true
    },
    claims: claims.claims,
    insertClaim: claims.insertClaim,
    updateClaim: claims.updateClaim,
    ...mongoLeases(db.collection<LeaseDocument>(leasesCollectionOf(collection.collectionName))),
    ...witness,
    async list(query) {
      if (query.limit <= 0) return []
      const docs = await collection
        .find(listFilter(query) as Filter<TicketDocument>)
        .sort({ placedAt: -1, orderId: -1 })
        .limit(query.limit)
        .toArray()
      return docs.map((doc) => storedOrder(doc.order))
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
  const { order, fingerprint, committedBy } = ticket
  const doc: TicketDocument = { _id: order.id, orderId: order.id, placedAt: order.placedAt, status: order.status, order, ...committer(committedBy) }
  return fingerprint === undefined ? doc : { ...doc, fingerprint }
}

function ticketOfDocument(doc: Pick<TicketDocument, 'order' | 'fingerprint' | 'committedBy'>): Ticket {
  return { ...ticketOf(doc), ...committer(doc.committedBy) }
}

/** The field only when a holder wrote the state: a ticket comes back without storage fields or empty ones. */
function committer(committedBy: number | undefined): Pick<Ticket, 'committedBy'> {
  return committedBy === undefined ? {} : { committedBy }
}

