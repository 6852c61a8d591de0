import type { Redis, Result } from 'ioredis'
import type { Order } from '@restaurant/contracts'
import { isRedisUnavailable } from '@restaurant/platform/redis/redis'
import { unavailableOnFailure } from '@restaurant/platform/runtime/dependencies'
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

declare module 'ioredis' {
  interface RedisCommander<Context> {
    applyOrderView(view: string, allEvents: string, orderEvents: string, ...args: (string | number)[]): Result<number, Context>
  }
}

export interface OrderViews {
  get(orderId: string): Promise<Order | undefined>
  /**
   * Stores the order unless the view already holds this version or a later one and, given the correlation
   * id of the change, announces each status it moves past on the order event streams; true when it changed.
   */
  apply(order: Order, correlationId?: string): Promise<boolean>
  /** Records the body fingerprint for an idempotency key's order, and tells what an earlier claim stored. */
  claimKey(orderId: string, fingerprint: string): Promise<KeyClaim>
  /**
   * Records from when Redis remembers every claim, given the newest order the kitchen held when that was
   * not known (Redis new, or its data lost): a claim made before then can be retried, and be missing here,
   * only until that order's key would have expired anyway. The first waiter to record it wins.
   */
  rememberSince(newestPlacedAt: string | undefined): Promise<void>
  /** True for one caller, across every waiter, at most once per `everyMs` for an order: the one to check its view against the kitchen. */
  claimRefresh(orderId: string, everyMs: number): Promise<boolean>
  ping(): Promise<void>
}

export interface KeyClaim {
  /** The fingerprint an earlier claim stored, if Redis holds one. */
  earlier?: string
  /**
   * Whether Redis may have forgotten an earlier claim of the key: `complete` when it remembers every claim
   * that could still be retried, `doubtful` when it lost its data within a key's lifetime, `unknown` when
   * it has not been told (see rememberSince).
   */
  memory: 'complete' | 'doubtful' | 'unknown'
}

// Until when a claim missing from Redis may have been forgotten rather than never made (ms since the epoch).
const DOUBTFUL_UNTIL_KEY = 'idempotency:doubtful-until'

export interface OrderViewOptions {
  viewTtlSeconds: number
  idempotencyTtlSeconds: number
}

export function createOrderViews(redis: Redis, options: OrderViewOptions): OrderViews {
  redis.defineCommand('applyOrderView', { numberOfKeys: 3, lua: applyIfNewer })
  const viewKey = (orderId: string) => `order:${orderId}`
  // Every failure that means Redis cannot serve becomes DependencyUnavailableError: status events then wait for it.
  return unavailableOnFailure('Redis', {
    async get(orderId) {
      const stored = await redis.hget(viewKey(orderId), 'order')
      return stored ? (JSON.parse(stored) as Order) : undefined
    },
    async apply(order, correlationId) {
      const history = order.history.flatMap((entry) => [entry.status, entry.at])
      const changed = await redis.applyOrderView(
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
    async claimKey(orderId, fingerprint) {
      // Both go out in one write (auto-pipelining).
      const [earlier, doubtfulUntil] = await Promise.all([
        redis.set(`idempotency:${orderId}`, fingerprint, 'EX', options.idempotencyTtlSeconds, 'NX', 'GET'),
        redis.get(DOUBTFUL_UNTIL_KEY),
      ])
      const memory = doubtfulUntil === null ? 'unknown' : Number(doubtfulUntil) > Date.now() ? 'doubtful' : 'complete'
      return earlier === null ? { memory } : { earlier, memory }
    },
    async rememberSince(newestPlacedAt) {
      const doubtfulUntil = newestPlacedAt === undefined ? 0 : Date.parse(newestPlacedAt) + options.idempotencyTtlSeconds * 1000
      await redis.set(DOUBTFUL_UNTIL_KEY, String(doubtfulUntil), 'NX')
    },
    async claimRefresh(orderId, everyMs) {
      return (await redis.set(`order-refresh:${orderId}`, '1', 'PX', everyMs, 'NX')) === 'OK'
    },
    async ping() {
      await redis.ping()
    },
  }, isRedisUnavailable)
}
