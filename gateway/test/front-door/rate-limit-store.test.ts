import { once } from 'node:events'
import type { FastifyRateLimitStore } from '@fastify/rate-limit'
import type { Redis } from 'ioredis'
import t, { type Test } from 'tap'
import { createRedis } from '@restaurant/platform/redis/redis'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { removeRedisKeys } from '../../../test/support/isolation.js'
import { redisStoreWithLocalFallback, type LimiterStoreOptions } from '../../src/front-door/rate-limit-store.js'

const WINDOW_MS = 60_000

/** A logger whose lines the test reads. */
function recordingLog() {
  const lines: Array<{ level: number; msg: string }> = []
  return { log: createLogger({ name: 'test', level: 'info', pretty: false, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } }), lines }
}

async function realRedis(t: Test, url = 'redis://127.0.0.1:6379') {
  const config = { REDIS_URL: url, REDIS_PREFIX: `test-rate-limit-store-${process.pid}-${Math.random().toString(36).slice(2)}:`, REDIS_COMMAND_TIMEOUT_MS: 1_000 }
  const redis = createRedis(config, createLogger({ name: 'test', level: 'silent', pretty: false }))
  t.teardown(async () => {
    redis.disconnect()
    await removeRedisKeys(config.REDIS_PREFIX)
  })
  return redis
}

function storeOn(redis: Redis, options: Partial<LimiterStoreOptions>, log = recordingLog().log): FastifyRateLimitStore {
  const Store = redisStoreWithLocalFallback(redis, log)
  return new Store(options)
}

const countOf = (store: FastifyRateLimitStore, key: string) =>
  new Promise<number>((resolve, reject) => store.incr(key, (err, result) => (result ? resolve(result.current) : reject(err)), WINDOW_MS, 10))

t.test('stores on one Redis share each count, one count per name space and key', async (t) => {
  const redis = await realRedis(t)
  await once(redis, 'ready')
  const [first, second, other] = [storeOn(redis, { nameSpace: 'address' }), storeOn(redis, { nameSpace: 'address' }), storeOn(redis, { nameSpace: 'keys' })]
  t.same([await countOf(first, 'a'), await countOf(second, 'a'), await countOf(first, 'a')], [1, 2, 3])
  t.equal(await countOf(other, 'a'), 1, 'another name space counts apart')
  t.equal(await countOf(first, 'b'), 1, 'another key counts apart')
})

t.test('with Redis away, a store that may fail open counts in memory and says so once', async (t) => {
  const { log, lines } = recordingLog()
  const store = storeOn(await realRedis(t, 'redis://127.0.0.1:1'), { nameSpace: 'address', failClosed: false }, log)
  t.same([await countOf(store, 'a'), await countOf(store, 'a'), await countOf(store, 'b')], [1, 2, 1])
  t.same(lines.map(({ level, msg }) => [level, msg]), [[40, 'Redis is unavailable: rate limits are counted in memory']])
})

t.test('with Redis away, a store that fails closed passes the failure on', async (t) => {
  const store = storeOn(await realRedis(t, 'redis://127.0.0.1:1'), { nameSpace: 'keys', failClosed: true })
  await t.rejects(countOf(store, 'a'))
})

t.test('when Redis answers again, counting returns to it and says so', async (t) => {
  const { log, lines } = recordingLog()
  // Stands in for the Lua command @fastify/rate-limit defines on the client, so that Redis can come and go at will.
  const flaky = {
    up: false,
    count: 0,
    defineCommand: () => undefined,
    rateLimit(...args: unknown[]) {
      const callback = args.at(-1) as (err: Error | null, result?: [number, number]) => void
      if (this.up) callback(null, [++this.count, WINDOW_MS])
      else callback(new Error('Connection is closed.'))
    },
  }
  const store = storeOn(flaky as unknown as Redis, { nameSpace: 'address' }, log)
  t.equal(await countOf(store, 'a'), 1, 'in memory')
  flaky.up = true
  flaky.count = 41
  t.equal(await countOf(store, 'a'), 42, 'in Redis')
  t.same(lines.map(({ msg }) => msg), ['Redis is unavailable: rate limits are counted in memory', 'rate limits are counted in Redis again'])
})
