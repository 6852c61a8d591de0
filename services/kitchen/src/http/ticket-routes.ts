import { kitchenPaths, KitchenListQuery, TicketSchema } from '@restaurant/contracts/kitchen-api'
import { DEFAULT_PAGE_SIZE, OrderIdParams, OrderPage } from '@restaurant/contracts/orders'
import { buildProblem, Problem, PROBLEM_CONTENT_TYPE } from '@restaurant/contracts/problem'
import type { HttpServer } from '@restaurant/platform/http/server'
import { listTickets } from '../use-cases/list-tickets.js'
import { readTicket } from '../use-cases/read-ticket.js'
import type { TicketStore } from '../use-cases/ticket-store.js'
import { decodeCursor, encodeCursor } from './ticket-cursor.js'

/** The internal read API over the kitchen's tickets: one ticket as staff read it, and pages of orders. */
export function registerTicketRoutes(app: HttpServer, store: TicketStore): void {
  app.get(
    kitchenPaths.ticketRoute,
    { schema: { params: OrderIdParams, response: { 200: TicketSchema, 404: Problem } } },
    async (request, reply) => {
      const ticket = await readTicket(store, request.params.id)
      if (ticket) return ticket
      return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(buildProblem(404, 'order-not-found', 'No such order'))
    },
  )

  app.get(kitchenPaths.tickets, { schema: { querystring: KitchenListQuery, response: { 200: OrderPage } } }, async (request) => {
    const { status, owner, limit = DEFAULT_PAGE_SIZE, cursor } = request.query
    const { orders, next } = await listTickets(store, {
      limit,
      ...(status ? { status } : {}),
      ...(owner ? { owner } : {}),
      ...(cursor ? { after: decodeCursor(cursor) } : {}),
    })
    return next ? { orders, nextCursor: encodeCursor(next) } : { orders }
  })
}
