import { Type, type Static } from 'typebox'
import { Order } from './orders.js'

/** The kitchen's internal read API, which the waiter falls back to when its view lacks an order. */
export const kitchenPaths = {
  ticketRoute: '/internal/orders/:id',
  ticket: (orderId: string) => `/internal/orders/${encodeURIComponent(orderId)}`,
  tickets: '/internal/orders',
}

export const TicketSchema = Type.Object({
  order: Order,
  fingerprint: Type.Optional(Type.String()),
})
export type TicketView = Static<typeof TicketSchema>
