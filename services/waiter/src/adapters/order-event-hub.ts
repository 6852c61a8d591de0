import { setTimeout as sleep } from 'node:timers/promises'
import type { Redis } from 'ioredis'
import type { OrderStatus } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'
import type { Logger } from '@restaurant/platform/runtime/logger'

/** One status change of one order, as the streams hold it and the SSE routes send it. */
export interface OrderEvent {
  /** The Redis stream entry id: increasing, and the SSE event id a client resumes from. */
  id: string
  orderId: string
  status: OrderStatus
  at: string
  correlationId: string
  order: Order
}

export const ALL_ORDER_EVENTS = 'order-events'
export const orderEventsKey = (orderId: string) => `order-events:${orderId}`

type Listener = (event: OrderEvent) => void

export interface OrderEventHub {
  /** Calls `listener` with every new event; returns the unsubscribe. */
  subscribe(listener: Listener): () => void
  /** An order's events after `afterId` (all of them without it), oldest first. */
  orderEvents(orderId: string, afterId?: string): Promise<OrderEvent[]>
  /** Every order's events after `afterId`, oldest first. */
  allEvents(afterId: string): Promise<OrderEvent[]>
  close(): Promise<void>
}

// Enough for any order's whole life; after a break, the stream of all orders replays at most this many.
const REPLAY_LIMIT = 10_000

/**
 * Every waiter instance follows the one Redis stream of status events (written by whichever instance
 * consumed the kitchen's message) and hands each event to its own subscribers, so that a client connected
 * anywhere sees every order. After a break it reads on from the last entry it saw: nothing is skipped.
 * `reader` is a blocking client (`createRedis(…, { blocking: true })`) of the hub's own, which `close` disconnects.
 */
export function createOrderEventHub({ reader, redis }: { reader: Redis; redis: Redis }, log: Logger): OrderEventHub {
  const listeners = new Set<Listener>()
  const following = { running: true }
  const followed = follow(reader, listeners, log, following)

  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    orderEvents: (orderId, afterId) => readEvents(redis, orderEventsKey(orderId), afterId),
    allEvents: (afterId) => readEvents(redis, ALL_ORDER_EVENTS, afterId),
    async close() {
      following.running = false
      reader.disconnect()
      await followed
    },
  }
}

/** Reads the stream of all orders from its end on, while `running`, handing each event to every listener. */
async function follow(reader: Redis, listeners: ReadonlySet<Listener>, log: Logger, following: { running: boolean }): Promise<void> {
  let lastId: string | undefined
  let failing = false
  while (following.running) {
    try {
      lastId ??= (await reader.xrevrange(ALL_ORDER_EVENTS, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0'
      const batch = await reader.xread('COUNT', 500, 'BLOCK', 2_000, 'STREAMS', ALL_ORDER_EVENTS, lastId)
      if (failing) log.info('following order events again')
      failing = false
      for (const [id, fields] of batch?.[0]?.[1] ?? []) {
        lastId = id
        const event = eventFrom(id, fields)
        for (const listener of listeners) listener(event)
      }
    } catch (err) {
      if (!failing && following.running) log.warn({ err }, 'cannot follow order events; retrying')
      failing = true
      await sleep(250)
    }
  }
}

async function readEvents(redis: Redis, key: string, afterId: string | undefined): Promise<OrderEvent[]> {
  const entries = await redis.xrange(key, afterId ? `(${afterId}` : '-', '+', 'COUNT', REPLAY_LIMIT)
  return entries.map(([id, fields]) => eventFrom(id, fields))
}

function eventFrom(id: string, fields: string[]): OrderEvent {
  const value = (name: string) => fields[fields.indexOf(name) + 1] ?? ''
  return {
    id,
    orderId: value('orderId'),
    status: value('status') as OrderStatus,
    at: value('at'),
    correlationId: value('correlationId'),
    order: JSON.parse(value('order')) as Order,
  }
}

/** Whether stream id `a` comes after `b` ("ms-seq" ids compare by both numbers). */
export function isAfter(a: string, b: string): boolean {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number)
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number)
  return aMs > bMs || (aMs === bMs && aSeq > bSeq)
}
