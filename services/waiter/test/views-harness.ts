import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { Redis } from 'ioredis'
import { createOrderViews, type OrderViewOptions } from '../src/order-views.js'

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Order views over the real Redis, under a key prefix of their own that the teardown clears. */
export function buildViews(t: Test, overrides: Partial<OrderViewOptions> = {}) {
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
  const views = createOrderViews(redis, { viewTtlSeconds: 60, idempotencyTtlSeconds: 60, ...overrides })
  return { views, redis, prefix }
}

