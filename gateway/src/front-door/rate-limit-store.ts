import { createRequire } from 'node:module'
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { Redis } from 'ioredis'
import type { Logger } from '@restaurant/platform/runtime/logger'

// @fastify/rate-limit ships its two stores untyped and outside its exports' types: their constructors, typed here.
type RedisStoreCtor = new (continueExceeding: boolean, exponentialBackoff: boolean, redis: Redis, key?: string) => FastifyRateLimitStore
type LocalStoreCtor = new (continueExceeding: boolean, exponentialBackoff: boolean, cache?: number) => FastifyRateLimitStore
const require = createRequire(import.meta.url)
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as RedisStoreCtor
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as LocalStoreCtor

/** What each limiter passes to the store (through @fastify/rate-limit's `createRateLimit` options). */
export interface LimiterStoreOptions {
  nameSpace: string
  /** Refuse (the caller answers 503) rather than count in memory when Redis is away. */
  failClosed: boolean
}

// Enough for the keys one instance sees during an outage; the oldest are forgotten first.
const LOCAL_KEYS = 10_000

/**
 * Counts in Redis, so that every gateway instance shares one budget per key. When Redis fails, a limiter
 * that may fail open counts in this instance's memory instead (a small LRU of the plugin's own LocalStore).
 */
export function redisStoreWithLocalFallback(redis: Redis, log: Logger): FastifyRateLimitStoreCtor {
  let inMemory = false
  const switchTo = (memory: boolean, err?: Error) => {
    if (inMemory === memory) return
    inMemory = memory
    if (memory) log.warn({ err: err?.message }, 'Redis is unavailable: rate limits are counted in memory')
    else log.info('rate limits are counted in Redis again')
  }

  class RedisWithLocalFallback implements FastifyRateLimitStore {
    private readonly shared: FastifyRateLimitStore
    private readonly local = new LocalStore(false, false, LOCAL_KEYS)
    private readonly failClosed: boolean

    constructor(options: Partial<LimiterStoreOptions>) {
      this.shared = new RedisStore(false, false, redis, `rate-limit:${options.nameSpace ?? 'default'}:`)
      this.failClosed = options.failClosed ?? false
    }

    incr(...[key, callback, timeWindow, max]: Parameters<FastifyRateLimitStore['incr']>): void {
      this.shared.incr(
        key,
        (err, result) => {
          if (!err) switchTo(false)
          if (!err || this.failClosed) return callback(err, result)
          switchTo(true, err)
          this.local.incr(key, callback, timeWindow, max)
        },
        timeWindow,
        max,
      )
    }

    child(options: object): FastifyRateLimitStore {
      return new RedisWithLocalFallback(options)
    }
  }
  return RedisWithLocalFallback
}
