import type { Redis } from 'ioredis'
import { isRedisUnavailable } from '@restaurant/platform/redis/redis'
import { unavailableOnFailure } from '@restaurant/platform/runtime/dependencies'
import { forgettableUntil, memoryOf } from '../domain/idempotency.js'
import type { Reservations } from '../use-cases/ports.js'

// Until when a reservation missing from Redis may have been forgotten rather than never made (ms since the epoch).
const DOUBTFUL_UNTIL_KEY = 'idempotency:doubtful-until'

export interface ReservationOptions {
  /** How long a key's reservation is kept: a retry after that places the order again, unless the kitchen has it. */
  ttlSeconds: number
}

/** Idempotency keys reserved in Redis: `idempotency:<order id>` holds the fingerprint of the first body. */
export function createIdempotencyReservations(redis: Redis, { ttlSeconds }: ReservationOptions): Reservations {
  return unavailableOnFailure('Redis', {
    async reserve(orderId, fingerprint) {
      // Both go out in one write (auto-pipelining).
      const [earlier, recordedUntil] = await Promise.all([
        redis.set(`idempotency:${orderId}`, fingerprint, 'EX', ttlSeconds, 'NX', 'GET'),
        redis.get(DOUBTFUL_UNTIL_KEY),
      ])
      const memory = memoryOf(recordedUntil === null ? undefined : Number(recordedUntil), Date.now())
      return earlier === null ? { memory } : { earlier, memory }
    },
    async rememberSince(newestPlacedAt) {
      await redis.set(DOUBTFUL_UNTIL_KEY, String(forgettableUntil(newestPlacedAt, ttlSeconds)), 'NX')
    },
  }, isRedisUnavailable)
}
