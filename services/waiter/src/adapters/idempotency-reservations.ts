import type { Redis } from 'ioredis'
import { isRedisUnavailable } from '@restaurant/platform/redis/redis'
import { replicationIdOf, REPLICATION_ID_LUA } from '@restaurant/platform/redis/replication-id'
import { unavailableOnFailure } from '@restaurant/platform/runtime/dependencies'
import { forgettableUntil, memoryOf, type MemoryRecord } from '../domain/idempotency.js'
import type { Reservations } from '../use-cases/ports.js'

// A hash: the master the record was learnt on (`master`: its replication id) and until when (ms since the epoch) a
// reservation missing from Redis may have been forgotten rather than never made (`until`).
const MEMORY_KEY = 'idempotency:memory'

// Reserves the key (SET NX GET) and reads the memory record and the replication id of the Redis that answers, in one
// step: the memory is judged against the master that holds the reservation, never an id learnt earlier.
const RESERVE = `
local earlier = redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2], 'NX', 'GET')
local record = redis.call('HMGET', KEYS[2], 'master', 'until')
return { earlier, record[1], record[2], ${REPLICATION_ID_LUA} }`

// Recorded only on the master whose replication id the lesson began with, and the first record for a master stands.
// Atomic, for every waiter learns. Returns the id now.
const RECORD_FOR_MASTER = `
local now = ${REPLICATION_ID_LUA}
if now == ARGV[1] and redis.call('HGET', KEYS[1], 'master') ~= ARGV[1] then
  redis.call('HSET', KEYS[1], 'master', ARGV[1], 'until', ARGV[2])
end
return now`

type Reply = [earlier: string | null, master: string | null, until: string | null, replicationId: string]

/** The client with the reservation script defined on it (ioredis runs it by its SHA, loading it when Redis lacks it). */
interface WithReserve {
  reserveIdempotencyKey(key: string, memoryKey: string, fingerprint: string, ttlSeconds: number): Promise<Reply>
}

export interface ReservationOptions {
  /** How long a key's reservation is kept: a retry after that places the order again, unless the kitchen has it. */
  ttlSeconds: number
}

/**
 * Idempotency keys reserved in Redis: `idempotency:<order id>` holds the fingerprint of the first body. A
 * reservation is one script, one round trip: the key, what Redis was told of its memory, and which master it is.
 */
export function createIdempotencyReservations(redis: Redis, { ttlSeconds }: ReservationOptions): Reservations {
  redis.defineCommand('reserveIdempotencyKey', { numberOfKeys: 2, lua: RESERVE })
  const scripts = redis as Redis & WithReserve
  return unavailableOnFailure('Redis', {
    async reserve(orderId, fingerprint) {
      const [earlier, master, until, currentId] = await scripts.reserveIdempotencyKey(`idempotency:${orderId}`, MEMORY_KEY, fingerprint, ttlSeconds)
      const record: MemoryRecord | undefined = master && until ? { master, doubtfulUntil: Number(until) } : undefined
      const memory = memoryOf(record, currentId, Date.now())
      return earlier === null ? { memory } : { earlier, memory }
    },
    // The epoch is the master's replication id.
    epoch: () => replicationIdOf(redis),
    async rememberSince(newestPlacedAt, epoch) {
      return String(await redis.eval(RECORD_FOR_MASTER, 1, MEMORY_KEY, epoch, String(forgettableUntil(newestPlacedAt, ttlSeconds))))
    },
  }, isRedisUnavailable)
}
