import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { Redis } from 'ioredis'
import { createIdempotencyReservations } from '../../src/adapters/idempotency-reservations.js'
import { createOrderViews } from '../../src/adapters/order-views.js'

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** A client of the real Redis under a key prefix of its own, which the teardown clears. */
export function isolatedRedis(t: Test) {
  const prefix = `test-${randomUUID()}:`
  const redis = new Redis(redisUrl, { keyPrefix: prefix, maxRetriesPerRequest: 1, commandTimeout: 2_000, connectTimeout: 2_000 })
  t.teardown(async () => {
    // SCAN patterns and the names it returns are not prefixed; DEL through this client adds the prefix back.
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(prefix.length)))
      cursor = next
    } while (cursor !== '0')
    await redis.quit()
  })
  return { redis, prefix }
}

/** A client of a Redis that is not there: every command fails at once. */
export function unreachableRedis(t: Test): Redis {
  const redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null })
  redis.on('error', () => undefined)
  t.teardown(() => redis.disconnect())
  return redis
}

/** Order views over the real Redis, isolated. */
export function buildViews(t: Test, { viewTtlSeconds = 60 } = {}) {
  const { redis, prefix } = isolatedRedis(t)
  return { views: createOrderViews(redis, { viewTtlSeconds }), redis, prefix }
}

/** Idempotency reservations over the real Redis, isolated. */
export function buildReservations(t: Test, { ttlSeconds = 60 } = {}) {
  const { redis } = isolatedRedis(t)
  return { reservations: createIdempotencyReservations(redis, { ttlSeconds }), redis }
}
