import type { Redis } from 'ioredis'
import type { Order } from '@restaurant/contracts/orders'
import { isRedisUnavailable } from '@restaurant/platform/redis/redis'
import { unavailableOnFailure } from '@restaurant/platform/runtime/dependencies'
import type { OrderViews } from '../use-cases/ports.js'
import { ALL_ORDER_EVENTS, orderEventsKey } from './order-event-hub.js'

/**
 * The waiter's order view in Redis: a cache of the kitchen's record, kept monotonic by a script that
 * writes an order only when its version is higher than the stored one. In the same step it appends one
 * event per status the view moves past (from the order's history, whose n-th entry is version n, so a
 * skipped step is not lost) to the stream of all orders and, with the same id, to the order's own stream:
 * every status once, in order. KEYS: view, all events, the order's events. ARGV: version, order, ttl,
 * correlation id, max length of the stream of all orders, order id, then status and time of each history
 * entry. An empty correlation id refills the view without announcing anything (the statuses were announced
 * when they happened).
 */
const applyIfNewer = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if stored >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'order', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
if ARGV[4] ~= '' then
  for i = 7 + stored * 2, #ARGV, 2 do
    local fields = { 'orderId', ARGV[6], 'status', ARGV[i], 'at', ARGV[i + 1], 'correlationId', ARGV[4], 'order', ARGV[2] }
    local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', unpack(fields))
    redis.call('XADD', KEYS[3], id, unpack(fields))
  end
end
redis.call('EXPIRE', KEYS[3], ARGV[3])
return 1`

// The stream of all orders keeps about this many events: enough for any client to resume after a break.
const ALL_EVENTS_MAX_LENGTH = 100_000

/** The script as a typed function: defineCommand runs it by its hash, sending it again when Redis lacks it. */
type ApplyOrderView = (view: string, allEvents: string, orderEvents: string, ...args: (string | number)[]) => Promise<unknown>

function defineApplyOrderView(redis: Redis): ApplyOrderView {
  redis.defineCommand('applyOrderView', { numberOfKeys: 3, lua: applyIfNewer })
  const command: unknown = Reflect.get(redis, 'applyOrderView')
  if (typeof command !== 'function') throw new TypeError('ioredis did not define applyOrderView')
  return async (...args) => (await Reflect.apply(command, redis, args)) as unknown
}

export interface OrderViewOptions {
  viewTtlSeconds: number
}

export function createOrderViews(redis: Redis, options: OrderViewOptions): OrderViews {
  const applyOrderView = defineApplyOrderView(redis)
  const viewKey = (orderId: string) => `order:${orderId}`
  // Every failure that means Redis cannot serve becomes DependencyUnavailableError: status events then wait for it.
  return unavailableOnFailure('Redis', {
    async get(orderId) {
      const stored = await redis.hget(viewKey(orderId), 'order')
      return stored ? (JSON.parse(stored) as Order) : undefined
    },
    async apply(order, correlationId) {
      const history = order.history.flatMap((entry) => [entry.status, entry.at])
      const changed = await applyOrderView(
        viewKey(order.id),
        ALL_ORDER_EVENTS,
        orderEventsKey(order.id),
        order.version,
        JSON.stringify(order),
        options.viewTtlSeconds,
        correlationId ?? '',
        ALL_EVENTS_MAX_LENGTH,
        order.id,
        ...history,
      )
      return changed === 1
    },
    async takeRefreshTurn(orderId, everyMs) {
      return (await redis.set(`order-refresh:${orderId}`, '1', 'PX', everyMs, 'NX')) === 'OK'
    },
  }, isRedisUnavailable)
}
