import type { FastifyReply, FastifyRequest } from 'fastify'
import { OrderIdParams, statusRank, type HttpServer } from '@restaurant/shared'
import { isAfter, type OrderEvent, type OrderEventHub } from './order-event-hub.js'
import type { RequestContextOf } from './request-context.js'
import { anyRequestErrors, invalid, problem } from './route-docs.js'
import type { Waiter } from './waiter.js'

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

/** Status changes as they happen, for one order (its owner, or staff) or for every order (staff). */
export function registerOrderEventRoutes(app: HttpServer, deps: OrderEventRoutesDeps): void {
  const { waiter, hub, contextOf } = deps
  // Open streams end when the waiter closes, so that shutdown does not wait on them; clients resume elsewhere.
  const open = new Set<FastifyReply>()
  app.addHook('preClose', async () => {
    for (const reply of open) reply.sse.close()
  })

  app.get(
    '/api/orders/events',
    {
      sse: 'only',
      schema: {
        tags: ['orders'],
        summary: 'Follow every order',
        description: 'Every status change of every order, live; after a break, `Last-Event-ID` replays what was missed.',
        response: { 200: eventStream, ...anyRequestErrors },
      },
    },
    async (request, reply) => {
      await stream(request, reply, async (after) => (after ? hub.allEvents(after) : []), () => true)
    },
  )

  app.get(
    '/api/orders/:id/events',
    {
      sse: 'only',
      schema: {
        tags: ['orders'],
        summary: "Follow an order's status",
        description: "The order's status changes from the first (`placed`) on; with `Last-Event-ID`, only those after it.",
        params: OrderIdParams,
        response: { 200: eventStream, 400: invalid, 404: problem('No order with this id that the caller may see'), ...anyRequestErrors },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      await waiter.getOrder(id, contextOf(request))
      await stream(request, reply, (after) => hub.orderEvents(id, after), (event) => event.orderId === id)
    },
  )

  /**
   * Replays what the client missed, then relays live events: those that arrive during the replay wait
   * their turn, and nothing is sent twice or out of order (ids only increase, and an order's status only
   * moves forward, even if Redis lost its view and announced the order again). The client may go at any
   * moment, the replay included: every write checks and handles its own failure, and whatever the stream
   * holds (hub listener, gauge, buffers) is released exactly once, however it ends.
   */
  async function stream(request: FastifyRequest, reply: FastifyReply, replay: (after?: string) => Promise<OrderEvent[]>, wanted: (event: OrderEvent) => boolean) {
    const { sse } = reply
    sse.keepAlive()
    let last = sse.lastEventId ?? undefined
    let replaying = true
    const waiting: OrderEvent[] = []
    const sentRank = new Map<string, number>()
    const unsubscribe = hub.subscribe((event) => {
      if (wanted(event)) (replaying ? waiting.push(event) : send(event))
    })
    open.add(reply)
    deps.openStreams.inc()
    let released = false
    const release = () => {
      if (released) return
      released = true
      unsubscribe()
      open.delete(reply)
      deps.openStreams.dec()
      waiting.length = 0
      sse.close()
    }
    // Registered after the client left, onClose would never run: release now instead.
    if (!sse.isConnected) return release()
    sse.onClose(release)
    // A first comment now: a stream with nothing to replay still opens at once, through any proxy.
    sse.sendHeaders()
    reply.raw.write(': open\n\n')

    function send(event: OrderEvent): void {
      if (!sse.isConnected) return release()
      if (last !== undefined && !isAfter(event.id, last)) return
      if (statusRank(event.status) <= (sentRank.get(event.orderId) ?? -1)) return
      if (reply.raw.writableLength > deps.maxUnreadBytes) {
        request.log.warn({ unreadBytes: reply.raw.writableLength }, 'event stream dropped: the client reads too slowly (it resumes from its last event)')
        return release()
      }
      last = event.id
      sentRank.set(event.orderId, statusRank(event.status))
      const { id, status, ...data } = event
      sse.send({ id, event: status, data: { status, ...data } }).catch(release)
    }

    try {
      for (const event of await replay(last)) send(event)
    } catch (err) {
      // Headers are sent: the client can only be told by the end of the stream, and resumes with Last-Event-ID.
      request.log.warn({ err }, 'event stream replay failed; closing it')
      return release()
    }
    replaying = false
    waiting.splice(0).forEach(send)
  }
}
