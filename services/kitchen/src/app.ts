import { buildProblem, DEFAULT_PAGE_SIZE, kitchenPaths, KitchenListQuery, OrderIdParams, OrderPage, Problem, PROBLEM_CONTENT_TYPE, TicketSchema } from '@restaurant/contracts'
import { registerHealthRoutes, type DependencyCheck } from '@restaurant/platform/http/health'
import { requireIdentity } from '@restaurant/platform/http/identity-guard'
import { buildHttpServer } from '@restaurant/platform/http/server'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { registerMetrics } from '@restaurant/platform/runtime/metrics'
import type { Registry } from 'prom-client'
import { decodeCursor, encodeCursor } from './ticket-cursor.js'
import { ticketView } from './ticket-view.js'
import type { TicketStore } from './ticket-store.js'

export interface KitchenAppDeps {
  log: Logger
  store: TicketStore
  /** What `/ready` checks. */
  dependencies: Record<string, DependencyCheck>
  /** Event-loop delay beyond which requests are shed with 503. */
  maxEventLoopDelayMs: number
  /** Checks the identity the waiter signs on every internal call. */
  identitySecret: string
  /** The service's metrics, served at /metrics. */
  metrics: Registry
}

/** The kitchen's small HTTP side: health, readiness, metrics and the internal read API over its tickets. */
export async function buildKitchenApp({ log, store, dependencies, maxEventLoopDelayMs, identitySecret, metrics }: KitchenAppDeps) {
  const app = await buildHttpServer(log, { maxEventLoopDelayMs })
  await registerMetrics(app, metrics)
  registerHealthRoutes(app, dependencies)
  requireIdentity(app, identitySecret, ['/internal/'])

  app.get(
    kitchenPaths.ticketRoute,
    { schema: { params: OrderIdParams, response: { 200: TicketSchema, 404: Problem } } },
    async (request, reply) => {
      const ticket = await ticketView(store, request.params.id)
      if (ticket) return ticket
      return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(buildProblem(404, 'order-not-found', 'No such order'))
    },
  )

  app.get(kitchenPaths.tickets, { schema: { querystring: KitchenListQuery, response: { 200: OrderPage } } }, async (request) => {
    const { status, owner, limit = DEFAULT_PAGE_SIZE, cursor } = request.query
    const orders = await store.list({
      limit: limit + 1,
      ...(status ? { status } : {}),
      ...(owner ? { owner } : {}),
      ...(cursor ? { after: decodeCursor(cursor) } : {}),
    })
    const page = orders.slice(0, limit)
    const last = page.at(-1)
    return orders.length > limit && last ? { orders: page, nextCursor: encodeCursor(last) } : { orders: page }
  })

  return app
}
