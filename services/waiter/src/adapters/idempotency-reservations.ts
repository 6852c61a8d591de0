import type { Redis } from 'ioredis'
import { isRedisUnavailable } from '@restaurant/platform/redis/redis'
import { trackReplicationId } from '@restaurant/platform/redis/replication-id'
import { unavailableOnFailure } from '@restaurant/platform/runtime/dependencies'
import { forgettableUntil, memoryOf, type MemoryRecord } from '../domain/idempotency.js'
import type { Reservations } from '../use-cases/ports.js'

// A hash: the master the record was learnt on (`master`: its replication id) and until when (ms since the epoch) a
// reservation missing from Redis may have been forgotten rather than never made (`until`).
const MEMORY_KEY = 'idempotency:memory'

// The first record for a master stands; one learnt on another master is replaced. Atomic, for every waiter learns.
const RECORD_FOR_MASTER = `
if redis.call('HGET', KEYS[1], 'master') == ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'master', ARGV[1], 'until', ARGV[2])
return 1`

export interface ReservationOptions {
  /** How long a key's reservation is kept: a retry after that places the order again, unless the kitchen has it. */
  ttlSeconds: number
}

/**
 * Idempotency keys reserved in Redis: `idempotency:<order id>` holds the fingerprint of the first body. Which
 * master answers is known from the connection (learnt when it becomes ready), so a reservation is one round trip.
 */
export function createIdempotencyReservations(redis: Redis, { ttlSeconds }: ReservationOptions): Reservations {
  const currentMaster = trackReplicationId(redis)
  return unavailableOnFailure('Redis', {
    async reserve(orderId, fingerprint) {
      // Both go out in one write (auto-pipelining).
      const [earlier, [master, until], currentId] = await Promise.all([
        redis.set(`idempotency:${orderId}`, fingerprint, 'EX', ttlSeconds, 'NX', 'GET'),
        redis.hmget(MEMORY_KEY, 'master', 'until'),
        currentMaster(),
      ])
      const record: MemoryRecord | undefined = master && until ? { master, doubtfulUntil: Number(until) } : undefined
      const memory = memoryOf(record, currentId, Date.now())
      return earlier === null ? { memory } : { earlier, memory }
    },
    async rememberSince(newestPlacedAt) {
      await redis.eval(RECORD_FOR_MASTER, 1, MEMORY_KEY, await currentMaster(), String(forgettableUntil(newestPlacedAt, ttlSeconds)))
    },
  }, isRedisUnavailable)
}
