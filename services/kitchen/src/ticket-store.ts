import type { Order, OrderStatus } from '@restaurant/shared'

/** The kitchen's durable record of an order. */
export interface Ticket {
  order: Order
  /** Hash of the placing request's body, when the kitchen saw it placed (absent if it saw the cancel first). */
  fingerprint?: string
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
 * The one store contract; the embedded and MongoDB adapters both pass the same contract suite.
 * The order id is unique: it is what makes a redelivered or duplicated order collapse into one ticket.
 */
export interface TicketStore {
  /** Stores the ticket unless one exists for its order id; returns the stored ticket either way. */
  insertIfAbsent(ticket: Ticket): Promise<{ created: boolean; ticket: Ticket }>
  get(orderId: string): Promise<Ticket | undefined>
  /** Replaces the order only while its stored status is still `expected`; false when it has moved on. */
  replaceIfStatus(order: Order, expected: OrderStatus): Promise<boolean>
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
