import { constants } from 'node:fs'
import { access, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import nedb from '@seald-io/nedb'
import type { Order, OrderStatus } from '@restaurant/shared'
import { listFilter, storedOrder, ticketOf, type Ticket, type TicketStore } from './ticket-store.js'

/** `orderId`, `placedAt` and `status` copy fields of `order` so that the index, sort and filter stay flat. */
interface TicketDocument {
  orderId: string
  placedAt: string
  status: OrderStatus
  order: Order
  fingerprint?: string
}

// The package's types declare an ES default export, but it is CommonJS (`module.exports = Datastore`).
const Datastore = nedb as unknown as typeof nedb.default

const COMPACTION_INTERVAL_MS = 60 * 60 * 1000

/**
 * The embedded ticket store: one append-only file under `dataDir`, loaded into memory at start.
 * nedb appends each write without fsync, so a ticket survives a process crash but not a power loss;
 * only compaction (hourly and on close) rewrites the file with fsync.
 */
export async function createNedbTicketStore({ dataDir }: { dataDir: string }): Promise<TicketStore> {
  await mkdir(dataDir, { recursive: true })
  const filename = join(dataDir, 'tickets.db')
  const db = new Datastore<TicketDocument>({ filename })
  await db.loadDatabaseAsync()
  await db.ensureIndexAsync({ fieldName: 'orderId', unique: true })
  db.setAutocompactionInterval(COMPACTION_INTERVAL_MS)
  let closed = false
  // nedb changes its memory before it appends to the file and keeps the change when the append fails.
  // After a failed write the store reloads from the file first, so an unsaved change is never read back.
  let unsaved = false
  const fromFile = async () => {
    if (!unsaved) return
    await db.loadDatabaseAsync()
    unsaved = false
  }
  const write = async <T>(action: () => Promise<T>): Promise<T> => {
    await fromFile()
    try {
      return await action()
    } catch (error) {
      if (!isUniqueViolation(error)) unsaved = true
      throw error
    }
  }

  const get = async (orderId: string): Promise<Ticket | undefined> => {
    await fromFile()
    const doc: TicketDocument | null = await db.findOneAsync<TicketDocument>({ orderId })
    return doc ? ticketOf(doc) : undefined
  }

  return {
    async insertIfAbsent(ticket) {
      try {
        return { created: true, ticket: ticketOf(await write(() => db.insertAsync(toDocument(ticket)))) }
      } catch (error) {
        if (!isUniqueViolation(error)) throw error
        const existing = await get(ticket.order.id)
        if (!existing) throw error
        return { created: false, ticket: existing }
      }
    },
    get,
    async replaceIfStatus(order, expected) {
      const { numAffected } = await write(() =>
        db.updateAsync({ orderId: order.id, 'order.status': expected }, { $set: { order, status: order.status, placedAt: order.placedAt } }),
      )
      return numAffected === 1
    },
    async list(query) {
      if (query.limit <= 0) return []
      await fromFile()
      const docs: TicketDocument[] = await db
        .findAsync<TicketDocument>(listFilter(query))
        .sort({ placedAt: -1, orderId: -1 })
        .limit(query.limit)
      return docs.map((doc) => storedOrder(doc.order))
    },
    async ping() {
      if (closed) throw new Error('ticket store is closed')
      await fromFile()
      await db.countAsync({})
      // Reads are served from memory, so only the file tells whether writes can still be stored.
      await access(filename, constants.W_OK)
    },
    async close() {
      if (closed) return
      closed = true
      db.stopAutocompaction()
      // Compaction is queued behind pending writes, so it waits for them, then rewrites the file with fsync.
      await db.compactDatafileAsync()
    },
  }
}

function toDocument(ticket: Ticket): TicketDocument {
  const { order, fingerprint } = ticket
  const doc: TicketDocument = { orderId: order.id, placedAt: order.placedAt, status: order.status, order }
  return fingerprint === undefined ? doc : { ...doc, fingerprint }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'errorType' in error && error.errorType === 'uniqueViolated'
}
