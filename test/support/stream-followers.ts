import type { Order } from '@restaurant/contracts/orders'
import { bearer, staff } from './credentials.js'
import { readEventStream, type ReceivedEvent } from './sse-client.js'

export interface StreamFollower {
  events: readonly ReceivedEvent[]
  /** Resolves once its first stream is open: the stream of every order replays nothing, so a board sees the orders placed after it opened. */
  opened: Promise<void>
  /** How many times its connection ended and it resumed, through the next gateway. */
  resumptions: number
  stop(): Promise<void>
}

const RESUME_PAUSE_MS = 200

/**
 * A staff board following every order's events, as a real one does: when its connection ends (a gateway
 * killed), it resumes after the last event it received (`Last-Event-ID`) through the next gateway.
 */
export function followEveryOrder(gatewayUrls: () => readonly string[], first: number): StreamFollower {
  const events: ReceivedEvent[] = []
  const follower = { events, resumptions: 0, stopped: false }
  let open = () => {}
  const opened = new Promise<void>((resolve) => (open = resolve))
  const following = (async () => {
    for (let attempt = first; !follower.stopped; attempt++) {
      const urls = gatewayUrls()
      const url = `${urls[attempt % urls.length]}/api/orders/events`
      const reading = { lastEventId: events.at(-1)?.id, done: () => follower.stopped, timeoutMs: 600_000, onEvent: (event: ReceivedEvent) => events.push(event), onOpen: open }
      await readEventStream(url, bearer(staff), reading).catch(() => undefined)
      if (follower.stopped) return
      follower.resumptions += 1
      await new Promise((resolve) => setTimeout(resolve, RESUME_PAUSE_MS))
    }
  })()
  return {
    events,
    opened,
    get resumptions() {
      return follower.resumptions
    },
    async stop() {
      follower.stopped = true
      await following
    },
  }
}

/** Each order's statuses as its clients should see them: its history as the kitchen's store keeps it. */
export function statusesOf(orders: readonly Order[]): Map<string, string[]> {
  return new Map(orders.map((order) => [order.id, order.history.map((entry) => entry.status)]))
}

/** The orders whose statuses a follower did not receive all, each once, in the order announced. */
export function ordersMissedBy(follower: Pick<StreamFollower, 'events'>, expected: ReadonlyMap<string, readonly string[]>): string[] {
  const received = new Map<string, string[]>()
  for (const { data } of follower.events) received.set(data.orderId, [...(received.get(data.orderId) ?? []), data.status])
  return [...expected].filter(([id, statuses]) => distinctInOrder(received.get(id) ?? []).join() !== statuses.join()).map(([id]) => id)
}

/** Statuses with each one received again right after itself (a resumed stream, a refilled view) counted once. */
export function distinctInOrder(statuses: readonly string[]): string[] {
  return statuses.filter((status, i) => status !== statuses[i - 1])
}
