import createError from '@fastify/error'
import type { CookedUnit, Order, OrderStatus } from '@restaurant/contracts'

/** The kitchen's durable record of an order. */
export interface Ticket {
  order: Order
  /** Hash of the placing request's body, when the kitchen saw it placed (absent if it saw the cancel first). */
  fingerprint?: string
  /** The number of the claim whose holder wrote the order's current state (absent when no holder wrote it). */
  committedBy?: number
}

export interface ListQuery {
  status?: OrderStatus
  /** Only this owner's orders. */
  owner?: string
  limit: number
  /** Cursor: the `placedAt` and `id` of the last order of the previous page. */
  after?: { placedAt: string; id: string }
}

/**
 * A kitchen process's lease: every claim taken under it holds while the process renews it, one write for all
 * (as etcd's leases do for their keys). A process that fails to renew in time loses it, and takes a new one.
 */
export interface KitchenLease {
  /** Unique to this lease: never reused, not even by the same process. */
  id: string
  /** The kitchen process incarnation. */
  kitchen: string
  /** Epoch ms at which the lease ends unless renewed. */
  expiresAt: number
}

/**
 * The right to cook one order. Taken by a unique insert of the order's next claim number, so exactly one
 * taker wins each number on every store; it holds while its kitchen's lease is renewed.
 */
export interface Claim {
  orderId: string
  /** 1 for the order's first claim, one more for each takeover: the fence its holder's writes carry. */
  number: number
  /** The kitchen process incarnation and the delivery it works for: never reused. */
  holder: string
  /** The kitchen process incarnation. */
  kitchen: string
  startedAt: string
  /** The id of the kitchen lease it holds under. */
  lease: string
  /** Set when its holder stopped without completing (it lost its lease, its delivery, or a dependency). */
  abandonedAt?: string
}

/** What only the claim's holder changes on its own claim: how it ended. */
export type ClaimChange = Partial<Pick<Claim, 'abandonedAt'>>

/** A write by the holder of a claim that a later claim has taken over. */
export const ClaimTakenOverError = createError('CLAIM_TAKEN_OVER', 'Claim %s of order %s was taken over: its holder may write no more', 409)

/**
 * The one store contract; the embedded and MongoDB adapters both pass the same contract suite.
 * The order id is unique: it is what makes a redelivered or duplicated order collapse into one ticket.
 */
export interface TicketStore {
  /** Stores the ticket unless one exists for its order id; returns the stored ticket either way. */
  insertIfAbsent(ticket: Ticket): Promise<{ created: boolean; ticket: Ticket }>
  get(orderId: string): Promise<Ticket | undefined>
  /**
   * Replaces the order only while its stored status is still `expected` and its version the one before
   * `order.version`; false when it has moved on. Exactly one of concurrent writers of one version wins, on
   * every store. With `fence` (the writer's claim number) it throws ClaimTakenOverError when a later claim exists,
   * and stores the fence with the order as `committedBy`.
   */
  replaceIfStatus(order: Order, expected: OrderStatus, fence?: number): Promise<boolean>
  /** The order's claims, oldest first (read by key: claim numbers count up from 1 without gaps). */
  claims(orderId: string): Promise<Claim[]>
  /** Inserts the claim under its order and number; false when that number was already taken (unique key). */
  insertClaim(claim: Claim): Promise<boolean>
  /** Changes one claim by its key (only its holder does): never conflicts with a takeover, which inserts the next number. */
  updateClaim(orderId: string, number: number, change: ClaimChange): Promise<void>
  /** Stores a new kitchen lease (its id is new). */
  insertLease(lease: KitchenLease): Promise<void>
  /** Moves the lease's end (only its kitchen does), by its key. */
  renewLease(id: string, expiresAt: number): Promise<void>
  lease(id: string): Promise<KitchenLease | undefined>
  /**
   * The witness: records (inserts or overwrites) one cooking of one unit, keyed by order, claim number and
   * unit. Written by the cooking code as it cooks; never fenced.
   */
  recordUnit(orderId: string, claimNumber: number, cooked: CookedUnit): Promise<void>
  /** Every recorded cooking of the order's units, by claim number then unit. */
  cookedUnits(orderId: string): Promise<CookedUnit[]>
  /** Newest first (placedAt, then id, descending). */
  list(query: ListQuery): Promise<Order[]>
  /** Throws when the store cannot serve requests (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}

/** A ticket as a store keeps it, with the order as it is read (see storedOrder). */
export function ticketOf(doc: { order: Order; fingerprint?: string | undefined }): Ticket {
  const order = storedOrder(doc.order)
  return doc.fingerprint === undefined ? { order } : { order, fingerprint: doc.fingerprint }
}

/** An order as read from a store: one stored before orders carried a version gets the one its history implies. */
export function storedOrder(order: Order): Order {
  return (order as Partial<Order>).version === undefined ? { ...order, version: order.history.length } : order
}

/**
 * The list query in the MongoDB query language, which both stores speak: strictly after the cursor in
 * (placedAt desc, orderId desc) order; ISO timestamps compare as strings.
 */
export function listFilter({ status, owner, after }: ListQuery): Record<string, unknown> {
  const filter = { ...(status === undefined ? {} : { status }), ...(owner === undefined ? {} : { 'order.owner': owner }) }
  if (after === undefined) return filter
  return { ...filter, $or: [{ placedAt: { $lt: after.placedAt } }, { placedAt: after.placedAt, orderId: { $lt: after.id } }] }
}
