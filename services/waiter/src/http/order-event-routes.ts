import type { FastifyReply } from 'fastify'
import { OrderIdParams } from '@restaurant/contracts/orders'
import type { HttpServer } from '@restaurant/platform/http/server'
import type { OrderEventHub } from '../adapters/order-event-hub.js'
import { streamEvents } from './event-stream.js'
import type { RequestContextOf } from './request-context.js'
import { anyRequestErrors, invalid, problem } from './route-docs.js'
import type { Waiter } from '../use-cases/waiter.js'

export interface OrderEventRoutesDeps {
  waiter: Waiter
  hub: OrderEventHub
  contextOf: RequestContextOf
  /** Bytes a client may leave unread before it is dropped (it resumes with Last-Event-ID). */
  maxUnreadBytes: number
  openStreams: { inc(): void; dec(): void }
}

const eventStream = {
  description:
    'Server-Sent Events: one event per status change, `id` (send it back as `Last-Event-ID` to resume), `event` ' +
    '(the status) and JSON `data` with `orderId`, `status`, `at`, `correlationId` and the `order`; a comment every few seconds.',
  content: { 'text/event-stream': { schema: { type: 'string' } } },
}

const followAll = {
  sse: 'only' as const,
  schema: {
    tags: ['orders'],
    summary: 'Follow every order',
    description: 'Every status change of every order, live; after a break, `Last-Event-ID` replays what was missed.',
    response: { 200: eventStream, ...anyRequestErrors },
  },
}

const followOne = {
  sse: 'only' as const,
  schema: {
    tags: ['orders'],
    summary: "Follow an order's status",
    description: "The order's status changes from the first (`placed`) on; with `Last-Event-ID`, only those after it.",
    params: OrderIdParams,
    response: { 200: eventStream, 400: invalid, 404: problem('No order with this id that the caller may see'), ...anyRequestErrors },
  },
}

/** Status changes as they happen, for one order (its owner, or staff) or for every order (staff). */
export function registerOrderEventRoutes(app: HttpServer, deps: OrderEventRoutesDeps): void {
  const { waiter, hub, contextOf } = deps
  // Open streams end when the waiter closes, so that shutdown does not wait on them; clients resume elsewhere.
  const open = new Set<FastifyReply>()
  app.addHook('preClose', async () => {
    for (const reply of open) reply.sse.close()
  })
  const streamDeps = { hub, maxUnreadBytes: deps.maxUnreadBytes, openStreams: deps.openStreams, open }

  app.get('/api/orders/events', followAll, async (request, reply) => {
    const replay = async (after?: string) => (after ? hub.allEvents(after) : [])
    await streamEvents(request, reply, { replay, wanted: () => true }, streamDeps)
  })
  app.get('/api/orders/:id/events', followOne, async (request, reply) => {
    const { id } = request.params
    await waiter.getOrder(id, contextOf(request))
    await streamEvents(request, reply, { replay: (after) => hub.orderEvents(id, after), wanted: (event) => event.orderId === id }, streamDeps)
  })
}
