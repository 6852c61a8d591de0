import type { FastifyReply, FastifyRequest } from 'fastify'
import type { OrderEvent, OrderEventHub } from '../adapters/order-event-hub.js'
import { createEventSequence, type NextEvent } from './event-sequence.js'

export interface EventStreamDeps {
  hub: Pick<OrderEventHub, 'subscribe'>
  /** Bytes a client may leave unread before it is dropped (it resumes with Last-Event-ID). */
  maxUnreadBytes: number
  openStreams: { inc(): void; dec(): void }
  /** The streams open now, which the routes end when the waiter closes. */
  open: Set<FastifyReply>
}

export interface EventSource {
  /** The events after the client's last event id (all there are without one), oldest first. */
  replay: (after?: string) => Promise<OrderEvent[]>
  wanted: (event: OrderEvent) => boolean
}

// Live events a stream holds while its replay is being read, at most: about a replay's worth.
const MAX_WAITING_EVENTS = 10_000

interface Stream {
  request: FastifyRequest
  reply: FastifyReply
  maxUnreadBytes: number
  next: NextEvent
  /** Live events that came during the replay, sent after it. */
  waiting: OrderEvent[]
  replaying: boolean
  released: boolean
  /** Resolves once the stream is released. */
  closed: Promise<void>
  release: () => void
}

/**
 * Replays what the client missed, then relays live events: those that arrive during the replay wait
 * their turn, and nothing is sent twice or out of order. The client may go at any moment, the replay
 * included: every write checks and handles its own failure, and whatever the stream holds (hub listener,
 * gauge, buffers) is released exactly once, however it ends.
 */
export async function streamEvents(request: FastifyRequest, reply: FastifyReply, source: EventSource, deps: EventStreamDeps): Promise<void> {
  const { sse } = reply
  sse.keepAlive()
  const after = sse.lastEventId ?? undefined
  const stream = openStream(request, reply, source, deps)
  // Registered after the client left, onClose would never run: release now instead.
  if (!sse.isConnected) return stream.release()
  sse.onClose(stream.release)
  // A first comment now: a stream with nothing to replay still opens at once, through any proxy.
  sse.sendHeaders()
  reply.raw.write(': open\n\n')
  if (!(await replayMissed(stream, source.replay, after))) return
  stream.replaying = false
  for (const event of stream.waiting.splice(0)) sendLive(stream, event)
}

function openStream(request: FastifyRequest, reply: FastifyReply, { wanted }: EventSource, deps: EventStreamDeps): Stream {
  let whenReleased = () => {}
  const closed = new Promise<void>((resolve) => (whenReleased = resolve))
  const next = createEventSequence(reply.sse.lastEventId ?? undefined)
  const stream: Stream = { request, reply, maxUnreadBytes: deps.maxUnreadBytes, next, waiting: [], replaying: true, released: false, closed, release: () => {} }
  const unsubscribe = deps.hub.subscribe((event) => {
    if (!wanted(event)) return
    if (!stream.replaying) return sendLive(stream, event)
    // A replay the client does not read must not make live events pile up without end.
    if (stream.waiting.push(event) > MAX_WAITING_EVENTS) dropSlowClient(stream)
  })
  deps.open.add(reply)
  deps.openStreams.inc()
  stream.release = () => {
    if (stream.released) return
    stream.released = true
    unsubscribe()
    deps.open.delete(reply)
    deps.openStreams.dec()
    stream.waiting.length = 0
    reply.sse.close()
    whenReleased()
  }
  return stream
}

/** The replay goes at the client's pace: each event waits until the one before has left (or the client has). */
async function replayMissed(stream: Stream, replay: EventSource['replay'], after: string | undefined): Promise<boolean> {
  try {
    for (const event of await replay(after)) {
      const message = stream.next(event)
      if (message && !stream.released) await Promise.race([stream.reply.sse.send(message).catch(stream.release), stream.closed])
    }
    return true
  } catch (err) {
    // Headers are sent: the client can only be told by the end of the stream, and resumes with Last-Event-ID.
    stream.request.log.warn({ err }, 'event stream replay failed; closing it')
    stream.release()
    return false
  }
}

function sendLive(stream: Stream, event: OrderEvent): void {
  const { sse, raw } = stream.reply
  if (!sse.isConnected) return stream.release()
  if (raw.writableLength > stream.maxUnreadBytes) return dropSlowClient(stream)
  const message = stream.next(event)
  if (message) sse.send(message).catch(stream.release)
}

function dropSlowClient(stream: Stream): void {
  const fields = { unreadBytes: stream.reply.raw.writableLength, waitingEvents: stream.waiting.length }
  stream.request.log.warn(fields, 'event stream dropped: the client reads too slowly (it resumes from its last event)')
  stream.release()
}
