import { Type, type Static } from 'typebox'
import { ListOrdersQuery, Order } from './orders.js'

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

/** The waiter's list query, narrowed to one owner's orders unless the caller sees every order. */
export const KitchenListQuery = Type.Object(
  { ...ListOrdersQuery.properties, owner: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
)
export type KitchenListQuery = Static<typeof KitchenListQuery>
