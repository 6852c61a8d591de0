import type { Redis, Result } from 'ioredis'
import { statusRank, type Order } from '@restaurant/shared'

/**
 * The waiter's order view in Redis: a cache of the kitchen's record, kept monotonic by a script that
 * writes an order only when its status is further along than the stored one.
 */
const applyIfNewer = `
local stored = redis.call('HGET', KEYS[1], 'rank')
if stored and tonumber(stored) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'rank', ARGV[1], 'order', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`

declare module 'ioredis' {
  interface RedisCommander<Context> {
    applyOrderView(key: string, rank: number, order: string, ttlSeconds: number): Result<number, Context>
  }
}

export interface OrderViews {
  get(orderId: string): Promise<Order | undefined>
  /** Stores the order unless the view already holds this status or a later one; true when it changed. */
  apply(order: Order): Promise<boolean>
  /** Records the body fingerprint for an idempotency key's order; returns the one stored earlier, if any. */
  claimKey(orderId: string, fingerprint: string): Promise<string | undefined>
  ping(): Promise<void>
}

export interface OrderViewOptions {
  viewTtlSeconds: number
  idempotencyTtlSeconds: number
}

export function createOrderViews(redis: Redis, options: OrderViewOptions): OrderViews {
  redis.defineCommand('applyOrderView', { numberOfKeys: 1, lua: applyIfNewer })
  const viewKey = (orderId: string) => `order:${orderId}`
  return {
    async get(orderId) {
      const stored = await redis.hget(viewKey(orderId), 'order')
      return stored ? (JSON.parse(stored) as Order) : undefined
    },
    async apply(order) {
      const changed = await redis.applyOrderView(viewKey(order.id), statusRank(order.status), JSON.stringify(order), options.viewTtlSeconds)
      return changed === 1
    },
    async claimKey(orderId, fingerprint) {
      const earlier = await redis.set(`idempotency:${orderId}`, fingerprint, 'EX', options.idempotencyTtlSeconds, 'NX', 'GET')
      return earlier ?? undefined
    },
    async ping() {
      await redis.ping()
    },
  }
}
