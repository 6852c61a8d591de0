import type { OrderStatus } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'
import { ticketOf, type Ticket } from '../../domain/ticket.js'
import type { ListQuery } from '../../use-cases/ticket-store.js'

/** `_id` and `orderId` are the order id; `placedAt` and `status` copy fields of `order` for indexes. */
export interface TicketDocument {
  _id: string
  orderId: string
  placedAt: string
  status: OrderStatus
  order: Order
  fingerprint?: string
  committedBy?: number
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

/** Where the settlements of those cookings are kept: one per cooking, the first inserted. */
export function unitEndsCollectionOf(collectionName: string): string {
  return `${collectionName}.unit-ends`
}

export function toDocument(ticket: Ticket): TicketDocument {
  const { order, fingerprint, committedBy } = ticket
  const doc: TicketDocument = { _id: order.id, orderId: order.id, placedAt: order.placedAt, status: order.status, order, ...committer(committedBy) }
  return fingerprint === undefined ? doc : { ...doc, fingerprint }
}

export function ticketOfDocument(doc: Pick<TicketDocument, 'order' | 'fingerprint' | 'committedBy'>): Ticket {
  return { ...ticketOf(doc), ...committer(doc.committedBy) }
}

/** The field only when a holder wrote the state: a ticket comes back without storage fields or empty ones. */
export function committer(committedBy: number | undefined): Pick<Ticket, 'committedBy'> {
  return committedBy === undefined ? {} : { committedBy }
}

/**
 * The list query in the MongoDB query language: strictly after the cursor in (placedAt desc, orderId desc)
 * order; ISO timestamps compare as strings.
 */
export function listFilter({ status, owner, after }: ListQuery): Record<string, unknown> {
  const filter = { ...(status === undefined ? {} : { status }), ...(owner === undefined ? {} : { 'order.owner': owner }) }
  if (after === undefined) return filter
  return { ...filter, $or: [{ placedAt: { $lt: after.placedAt } }, { placedAt: after.placedAt, orderId: { $lt: after.id } }] }
}
