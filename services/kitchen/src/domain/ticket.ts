import type { Order } from '@restaurant/contracts/orders'

/** The kitchen's durable record of an order. */
export interface Ticket {
  order: Order
  /** Hash of the placing request's body, when the kitchen saw it placed (absent if it saw the cancel first). */
  fingerprint?: string
  /** The number of the claim whose holder wrote the order's current state (absent when no holder wrote it). */
  committedBy?: number
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
