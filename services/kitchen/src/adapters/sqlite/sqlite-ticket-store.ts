import { constants, accessSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { guardedAccess, storeFileErrors, type GuardedAccess } from '@restaurant/platform/stores/sqlite-access'
import { importNedbTickets } from './nedb-import.js'
import { openTicketDatabase } from './sqlite-database.js'
import { ticketStatements, type TicketStatements } from './sqlite-statements.js'
import { ClaimTakenOverError, type TicketStore } from '../../use-cases/ticket-store.js'

const ticketFileErrors = storeFileErrors('TICKET', 'ticket')
export const isSqliteUnavailable = ticketFileErrors.isUnavailable

export interface SqliteTicketStoreOptions {
  dataDir: string
  /** better-sqlite3's native build, when not where the package keeps it (tests name a missing one). */
  nativeBinding?: string
}

/**
 * The embedded ticket store: one SQLite database, `tickets.sqlite` in `dataDir`, shared safely by the kitchen
 * processes of one machine. Every write is one short `BEGIN IMMEDIATE` transaction, so of concurrent writers,
 * in this process or another, exactly one wins each transition and each claim number. Calls are synchronous
 * (microseconds, or a wait for another process's write lock) behind the async contract.
 */
export async function createSqliteTicketStore({ dataDir, nativeBinding }: SqliteTicketStoreOptions): Promise<TicketStore> {
  await mkdir(dataDir, { recursive: true })
  const filename = join(dataDir, 'tickets.sqlite')
  const db = openTicketDatabase(filename, nativeBinding)
  const access = guardedAccess(db, filename, ticketFileErrors.access)
  const sql = ticketStatements(db)
  try {
    importNedbTickets(db, dataDir, sql.insertTicket)
  } catch (error) {
    db.close()
    throw error
  }
  return {
    ...ticketMethods(sql, access),
    claims: (orderId) => access.serve(() => sql.claims(orderId)),
    insertClaim: (claim) => access.write(() => sql.insertClaim(claim)),
    updateClaim: (orderId, number, change) => access.write(() => sql.updateClaim(orderId, number, change)),
    insertLease: (lease) => access.write(() => sql.insertLease(lease)),
    renewLease: (id, expiresAt) => access.write(() => sql.renewLease(id, expiresAt)),
    lease: (id) => access.serve(() => sql.lease(id)),
    recordUnit: (orderId, claimNumber, started) => access.write(() => sql.recordUnit(orderId, claimNumber, started)),
    settleUnit: (orderId, claimNumber, unit, end) => access.write(() => sql.settleUnit(orderId, claimNumber, unit, end)),
    closeEarlierClaims: (orderId, claimNumber, _units, at) => access.write(() => sql.closeEarlierClaims(orderId, claimNumber, at)),
    cookedUnits: (orderId) => access.serve(() => sql.cookedUnits(orderId)),
    ping: () =>
      access.serve(() => {
        sql.ticket('')
        accessSync(filename, constants.W_OK)
      }),
    close: async () => {
      if (db.open) db.close()
    },
  }
}

function ticketMethods(sql: TicketStatements, { serve, write }: GuardedAccess): Pick<TicketStore, 'insertIfAbsent' | 'get' | 'replaceIfStatus' | 'list'> {
  return {
    insertIfAbsent: (ticket) =>
      write(() => {
        const created = sql.insertTicket(ticket)
        const stored = sql.ticket(ticket.order.id)
        if (!stored) throw new Error('a ticket just inserted or found is missing')
        return { created, ticket: stored }
      }),
    get: (orderId) => serve(() => sql.ticket(orderId)),
    replaceIfStatus: (order, expected, fence) =>
      write(() => {
        if (fence !== undefined && sql.claimExists(order.id, fence + 1)) throw new ClaimTakenOverError(fence, order.id)
        const current = sql.ticket(order.id)?.order
        if (current?.status !== expected || current.version !== order.version - 1) return false
        sql.updateOrder(order, fence)
        return true
      }),
    list: (query) => serve(() => (query.limit <= 0 ? [] : sql.list(query))),
  }
}
