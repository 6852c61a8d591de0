import { createHash } from 'node:crypto'
import type { TicketView } from '@restaurant/contracts/kitchen-api'
import type { Order, PlaceOrderBody } from '@restaurant/contracts/orders'

/**
 * Idempotency: a retry with the same key and body answers with the order the first request placed, and
 * places nothing; the same key with another body is refused. The key's order id is derived from the key
 * (order-ids.ts), so the kitchen's record, which cannot forget, settles what Redis's reservation of the
 * key may have forgotten.
 */

/**
 * Whether Redis may have forgotten an earlier reservation of a key: `complete` when it remembers every
 * reservation that could still be retried, `doubtful` when it lost its data within a key's lifetime,
 * `unknown` when it has not been told for the master it is now (see forgettableUntil), which is as doubtful
 * until it is told.
 */
export type Memory = 'complete' | 'doubtful' | 'unknown'

/** What Redis was told of its memory: by which master (its replication id), and until when it may be doubted. */
export interface MemoryRecord {
  master: string
  /** ms since the epoch, as forgettableUntil gives it. */
  doubtfulUntil: number
}

/** What reserving a key tells: the fingerprint an earlier reservation stored, if Redis holds one. */
export interface Reservation {
  earlier?: string
  memory: Memory
}

/** What is known of a key's earlier use; decide asks for the rest, one look at a time. */
export interface Evidence {
  fingerprint: string
  /** Undefined when Redis could not take the reservation. */
  reservation: Reservation | undefined
  /** The order view under the key's order id: undefined until read, null when there is none to read. */
  view?: Order | null
  /** The kitchen's ticket for it: undefined until asked, null when the kitchen has none or cannot say. */
  ticket?: Pick<TicketView, 'order' | 'fingerprint'> | null
}

export type Decision =
  | { kind: 'place' }
  | { kind: 'reuse'; order: Order }
  | { kind: 'refuse' }
  | { kind: 'look'; at: 'view' | 'kitchen' }

const place: Decision = { kind: 'place' }
const refuse: Decision = { kind: 'refuse' }

/** Place, answer with the earlier order, refuse a reused key, or first look at the view or the kitchen. */
export function decide({ fingerprint, reservation, view, ticket }: Evidence): Decision {
  if (reservation?.earlier !== undefined && reservation.earlier !== fingerprint) return refuse
  // A key first reserved now, while Redis remembers every reservation that could be retried, has placed nothing.
  if (reservation?.earlier === undefined && reservation?.memory === 'complete') return place
  if (view === undefined) return { kind: 'look', at: 'view' }
  if (view) return { kind: 'reuse', order: view }
  // Redis may have forgotten the key: the kitchen's record is the one that cannot forget.
  if (ticket === undefined) return { kind: 'look', at: 'kitchen' }
  if (ticket?.fingerprint !== undefined && ticket.fingerprint !== fingerprint) return refuse
  return ticket ? { kind: 'reuse', order: ticket.order } : place
}

/**
 * Until when (ms since the epoch) a reservation missing from Redis may have been forgotten rather than
 * never made, given the newest order the kitchen held when Redis was found not to know: a key reserved
 * before then can be retried only until it would have expired anyway. Without such an order, never.
 */
export function forgettableUntil(newestPlacedAt: string | undefined, reservationTtlSeconds: number): number {
  return newestPlacedAt === undefined ? 0 : Date.parse(newestPlacedAt) + reservationTtlSeconds * 1000
}

/**
 * Redis's memory of reservations at `now`, as recorded (undefined: never), on the master it is now. Replication
 * is asynchronous: a replica promoted since may have lost the newest reservations while keeping the record, which
 * vouched for the old master's memory, not its own.
 */
export function memoryOf(record: MemoryRecord | undefined, master: string, now: number): Memory {
  if (record === undefined || record.master !== master) return 'unknown'
  return record.doubtfulUntil > now ? 'doubtful' : 'complete'
}

/**
 * The newest order placed before `noticedAt`, from a page of the kitchen's newest orders. A full page of
 * later orders hides the earlier ones, so then it is as if one had been placed at `noticedAt`.
 */
export function newestPlacedBefore(newestFirst: readonly Pick<Order, 'placedAt'>[], noticedAt: Date, pageSize: number): string | undefined {
  const before = newestFirst.find((order) => Date.parse(order.placedAt) < noticedAt.getTime())
  return before?.placedAt ?? (newestFirst.length === pageSize ? noticedAt.toISOString() : undefined)
}

/** A stable hash of the request body (key order does not matter), to tell a retry from a reused key. */
export function fingerprintOf(body: PlaceOrderBody): string {
  return createHash('sha256').update(canonicalJson(body)).digest('base64url')
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
