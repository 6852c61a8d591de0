import type { Redis } from 'ioredis'
import { isRedisUnavailable } from '@restaurant/platform/redis/redis'
import { trackReplicationId } from '@restaurant/platform/redis/replication-id'
import { unavailableOnFailure } from '@restaurant/platform/runtime/dependencies'
import { forgettableUntil, memoryOf, type MemoryRecord } from '../domain/idempotency.js'
import type { Reservations } from '../use-cases/ports.js'

// A hash: the master the record was learnt on (`master`: its replication id) and until when (ms since the epoch) a
// reservation missing from Redis may have been forgotten rather than never made (`until`).
const MEMORY_KEY = 'idempotency:memory'

// Recorded only on the master whose replication id the lesson began with (INFO, read in the script, is the answer of
// the Redis that writes), and the first record for a master stands. Atomic, for every waiter learns. Returns the id now.
const RECORD_FOR_MASTER = `
local now = string.match(redis.call('INFO', 'replication'), 'master_replid:(%w+)')
if now == ARGV[1] and redis.call('HGET', KEYS[1], 'master') ~= ARGV[1] then
  redis.call('HSET', KEYS[1], 'master', ARGV[1], 'until', ARGV[2])
end
return now`

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
    // The epoch is the master's replication id.
    epoch: currentMaster,
    async rememberSince(newestPlacedAt, epoch) {
      return String(await redis.eval(RECORD_FOR_MASTER, 1, MEMORY_KEY, epoch, String(forgettableUntil(newestPlacedAt, ttlSeconds))))
    },
  }, isRedisUnavailable)
}
