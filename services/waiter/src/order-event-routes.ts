import type { FastifyReply, FastifyRequest } from 'fastify'
import { OrderIdParams, statusRank } from '@restaurant/contracts'
import type { HttpServer } from '@restaurant/platform/http/server'
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

// Live events a stream holds while its replay is being read, at most: about a replay's worth.
const MAX_WAITING_EVENTS = 10_000

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
      if (!wanted(event)) return
      if (!replaying) return sendLive(event)
      // A replay the client does not read must not make live events pile up without end.
      if (waiting.push(event) > MAX_WAITING_EVENTS) dropSlowClient()
    })
    open.add(reply)
    deps.openStreams.inc()
    let released = false
    let whenReleased = () => {}
    const closed = new Promise<void>((resolve) => (whenReleased = resolve))
    const release = () => {
      if (released) return
      released = true
      unsubscribe()
      open.delete(reply)
      deps.openStreams.dec()
      waiting.length = 0
      sse.close()
      whenReleased()
    }
    // Registered after the client left, onClose would never run: release now instead.
    if (!sse.isConnected) return release()
    sse.onClose(release)
    // A first comment now: a stream with nothing to replay still opens at once, through any proxy.
    sse.sendHeaders()
    reply.raw.write(': open\n\n')

    /** The event as this client gets it next, or undefined when it would repeat a status or go backwards. */
    function next(event: OrderEvent) {
      if (last !== undefined && !isAfter(event.id, last)) return undefined
      if (statusRank(event.status) <= (sentRank.get(event.orderId) ?? -1)) return undefined
      last = event.id
      sentRank.set(event.orderId, statusRank(event.status))
      const { id, status, ...data } = event
      return { id, event: status, data: { status, ...data } }
    }
    function dropSlowClient() {
      request.log.warn({ unreadBytes: reply.raw.writableLength, waitingEvents: waiting.length }, 'event stream dropped: the client reads too slowly (it resumes from its last event)')
      release()
    }
    function sendLive(event: OrderEvent): void {
      if (!sse.isConnected) return release()
      if (reply.raw.writableLength > deps.maxUnreadBytes) return dropSlowClient()
      const message = next(event)
      if (message) sse.send(message).catch(release)
    }

    try {
      // The replay goes at the client's pace: each event waits until the one before has left (or the client has).
      for (const event of await replay(last)) {
        const message = next(event)
        if (message && !released) await Promise.race([sse.send(message).catch(release), closed])
      }
    } catch (err) {
      // Headers are sent: the client can only be told by the end of the stream, and resumes with Last-Event-ID.
      request.log.warn({ err }, 'event stream replay failed; closing it')
      return release()
    }
    replaying = false
    waiting.splice(0).forEach(sendLive)
  }
}
