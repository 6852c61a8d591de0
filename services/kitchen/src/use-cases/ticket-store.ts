import createError from '@fastify/error'
import type { CookedUnit } from '@restaurant/contracts/kitchen-api'
import type { OrderStatus } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'
import type { Claim, ClaimChange, KitchenLease, StartedUnit, UnitEnd } from '../domain/claims.js'
import type { Ticket } from '../domain/ticket.js'

export interface ListQuery {
  status?: OrderStatus
  /** Only this owner's orders. */
  owner?: string
  limit: number
  /** Cursor: the `placedAt` and `id` of the last order of the previous page. */
  after?: { placedAt: string; id: string }
}

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
  /** The witness: records that one cooking of one unit started, keyed by order, claim number and unit. */
  recordUnit(orderId: string, claimNumber: number, started: StartedUnit): Promise<void>
  /**
   * Settles a started cooking of one unit: the first settlement stands, and false says that another came first.
   * A finish is refused once a later claim closed the claim (closeEarlierClaims): what decides whether a unit was
   * finished is the store, never a holder's clock, so a finish that reaches the store late cannot go unseen.
   */
  settleUnit(orderId: string, claimNumber: number, unit: number, end: UnitEnd): Promise<boolean>
  /**
   * Settles as abandoned, at `at`, every cooking under the claims before `claimNumber` of the order's `units` that
   * none settled, started or not: from then on no earlier holder can finish a unit, so what they finished is final.
   */
  closeEarlierClaims(orderId: string, claimNumber: number, units: number, at: string): Promise<void>
  /** Every recorded cooking of the order's units, by claim number then unit. */
  cookedUnits(orderId: string): Promise<CookedUnit[]>
  /** Newest first (placedAt, then id, descending). */
  list(query: ListQuery): Promise<Order[]>
  /** Throws when the store cannot serve requests (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}
