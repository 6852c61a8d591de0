import type Database from 'better-sqlite3'
import type { Order } from '@restaurant/contracts/orders'
import { claimOf, claimRow, cookedUnitOf, leaseOf, orderOf, ticketOfRow, ticketRow, witnessRow, type ClaimRow, type LeaseRow, type TicketRow, type WitnessRow } from './sqlite-rows.js'
import type { Claim, ClaimChange, KitchenLease, StartedUnit, UnitEnd } from '../../domain/claims.js'
import type { Ticket } from '../../domain/ticket.js'
import type { ListQuery } from '../../use-cases/ticket-store.js'

/** The store's statements, prepared once, as functions of the contract's types. */
export function ticketStatements(db: Database.Database) {
  return { ...orderStatements(db), ...claimStatements(db), ...witnessStatements(db), list: listStatement(db) }
}

function orderStatements(db: Database.Database) {
  const insertTicket = db.prepare<TicketRow>(
    `INSERT INTO tickets (order_id, placed_at, status, owner, order_json, fingerprint, committed_by)
     VALUES (@order_id, @placed_at, @status, @owner, @order_json, @fingerprint, @committed_by) ON CONFLICT DO NOTHING`,
  )
  const ticket = db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE order_id = ?')
  const updateOrder = db.prepare<TicketRow>(
    'UPDATE tickets SET placed_at = @placed_at, status = @status, owner = @owner, order_json = @order_json, committed_by = @committed_by WHERE order_id = @order_id',
  )
  return {
    /** True when inserted, false when the order id was already there. */
    insertTicket: (value: Ticket) => insertTicket.run(ticketRow(value)).changes === 1,
    ticket: (orderId: string) => {
      const row = ticket.get(orderId)
      return row && ticketOfRow(row)
    },
    /** The order as written by the holder of claim `committedBy`, or by no holder. */
    updateOrder: (order: Order, committedBy: number | undefined) => void updateOrder.run(ticketRow({ order, ...(committedBy === undefined ? {} : { committedBy }) })),
  }
}

function claimStatements(db: Database.Database) {
  const claimExists = db.prepare<[string, number], { found: 1 }>('SELECT 1 AS found FROM claims WHERE order_id = ? AND number = ?')
  const claims = db.prepare<[string], ClaimRow>('SELECT * FROM claims WHERE order_id = ? ORDER BY number')
  const insertClaim = db.prepare<ClaimRow>(
    'INSERT INTO claims VALUES (@order_id, @number, @holder, @kitchen, @started_at, @lease, @abandoned_at) ON CONFLICT DO NOTHING',
  )
  // NULL leaves a field as it is: a change names only what it changes.
  const updateClaim = db.prepare<{ order_id: string; number: number; abandoned_at: string | null }>(
    'UPDATE claims SET abandoned_at = COALESCE(@abandoned_at, abandoned_at) WHERE order_id = @order_id AND number = @number',
  )
  const insertLease = db.prepare<LeaseRow>('INSERT INTO leases VALUES (@id, @kitchen, @expires_at)')
  const renewLease = db.prepare<[number, string]>('UPDATE leases SET expires_at = ? WHERE id = ?')
  const lease = db.prepare<[string], LeaseRow>('SELECT * FROM leases WHERE id = ?')
  return {
    claimExists: (orderId: string, number: number) => claimExists.get(orderId, number) !== undefined,
    claims: (orderId: string) => claims.all(orderId).map(claimOf),
    insertClaim: (claim: Claim) => insertClaim.run(claimRow(claim)).changes === 1,
    updateClaim: (orderId: string, number: number, change: ClaimChange) =>
      void updateClaim.run({ order_id: orderId, number, abandoned_at: change.abandonedAt ?? null }),
    insertLease: ({ id, kitchen, expiresAt }: KitchenLease) => void insertLease.run({ id, kitchen, expires_at: expiresAt }),
    renewLease: (id: string, expiresAt: number) => void renewLease.run(expiresAt, id),
    lease: (id: string) => {
      const row = lease.get(id)
      return row && leaseOf(row)
    },
  }
}

type UnitKey = { order_id: string; claim: number; unit: number; at: string }

const UNSETTLED = 'ended_at IS NULL AND abandoned_at IS NULL'

function witnessStatements(db: Database.Database) {
  const recordUnit = db.prepare<WitnessRow>(
    `INSERT INTO witness VALUES (@order_id, @claim, @unit, @kitchen, @menu_item_id, @started_at, @ended_at, @abandoned_at) ON CONFLICT DO NOTHING`,
  )
  const key = 'order_id = @order_id AND claim = @claim AND unit = @unit'
  // One statement: a takeover's claim insert and a finish cannot interleave, so a closed claim finishes nothing.
  const finish = db.prepare<UnitKey>(
    `UPDATE witness SET ended_at = @at WHERE ${key} AND ${UNSETTLED} AND NOT EXISTS (SELECT 1 FROM claims WHERE order_id = @order_id AND number > @claim)`,
  )
  const abandon = db.prepare<UnitKey>(`UPDATE witness SET abandoned_at = @at WHERE ${key} AND ${UNSETTLED}`)
  const closeEarlier = db.prepare<Omit<UnitKey, 'unit'>>(`UPDATE witness SET abandoned_at = @at WHERE order_id = @order_id AND claim < @claim AND ${UNSETTLED}`)
  const cookedUnits = db.prepare<[string], WitnessRow>('SELECT * FROM witness WHERE order_id = ? ORDER BY claim, unit')
  return {
    recordUnit: (orderId: string, claim: number, started: StartedUnit) => void recordUnit.run(witnessRow(orderId, claim, started)),
    settleUnit: (orderId: string, claim: number, unit: number, end: UnitEnd) => {
      const settle = 'endedAt' in end ? finish.run({ order_id: orderId, claim, unit, at: end.endedAt }) : abandon.run({ order_id: orderId, claim, unit, at: end.abandonedAt })
      return settle.changes === 1
    },
    // Cookings an earlier holder starts later are closed by `finish`'s condition, as units it never started are.
    closeEarlierClaims: (orderId: string, claim: number, at: string) => void closeEarlier.run({ order_id: orderId, claim, at }),
    cookedUnits: (orderId: string) => cookedUnits.all(orderId).map(cookedUnitOf),
  }
}

export type TicketStatements = ReturnType<typeof ticketStatements>

type ListParameters = { status?: string; owner?: string; placed_at?: string; order_id?: string; limit: number }

/**
 * The list query in SQL: an optional status, an optional owner, strictly after the cursor in
 * (placed_at desc, order_id desc) order, as a row-value comparison that an index range serves. One statement per
 * combination of conditions, prepared on first use, so that SQLite picks the index for each (a single statement
 * whose conditions switch off on NULL scanned the newest-first index: 40× slower for one owner of 50 in 20,000).
 */
function listStatement(db: Database.Database): (query: ListQuery) => Order[] {
  const prepared = new Map<string, Database.Statement<ListParameters, Pick<TicketRow, 'order_json'>>>()
  const statementFor = (conditions: string[]) => {
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`
    const sql = `SELECT order_json FROM tickets ${where} ORDER BY placed_at DESC, order_id DESC LIMIT @limit`
    const statement = prepared.get(sql) ?? db.prepare<ListParameters, Pick<TicketRow, 'order_json'>>(sql)
    prepared.set(sql, statement)
    return statement
  }
  return ({ status, owner, after, limit }) => {
    const conditions = [
      ...(status === undefined ? [] : ['status = @status']),
      ...(owner === undefined ? [] : ['owner = @owner']),
      ...(after === undefined ? [] : ['(placed_at, order_id) < (@placed_at, @order_id)']),
    ]
    return statementFor(conditions).all({ status, owner, placed_at: after?.placedAt, order_id: after?.id, limit }).map(orderOf)
  }
}
