import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { pino } from 'pino'
import t from 'tap'
import { createRedis, isRedisUnavailable } from '../../src/redis/redis.js'

const log = pino({ level: 'silent' })
const settings = (overrides: { REDIS_URL?: string } = {}) => ({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `test-${randomUUID()}:`, REDIS_COMMAND_TIMEOUT_MS: 250, ...overrides })

t.test('keys are written under the prefix', async (t) => {
  const config = settings()
  const redis = createRedis(config, log)
  await once(redis, 'ready')
  t.teardown(async () => {
    await redis.del('greeting')
    redis.disconnect()
  })
  await redis.set('greeting', 'hello')
  const plain = createRedis({ ...config, REDIS_PREFIX: '' }, log)
  await once(plain, 'ready')
  t.teardown(() => plain.disconnect())
  t.equal(await plain.get(`${config.REDIS_PREFIX}greeting`), 'hello')
})

t.test('a wrong command is the caller\'s error, not Redis being away', async (t) => {
  const redis = createRedis(settings(), log)
  await once(redis, 'ready')
  t.teardown(() => redis.disconnect())
  await redis.set('text', 'not a hash')
  const err = await redis.hgetall('text').catch((caught: unknown) => caught)
  t.match(err, { message: /^WRONGTYPE/ })
  t.equal(isRedisUnavailable(err), false)
  await redis.del('text')
})

t.test('a Redis that cannot be reached fails at once, and that failure says Redis is away', async (t) => {
  const redis = createRedis(settings({ REDIS_URL: 'redis://127.0.0.1:1' }), log)
  t.teardown(() => redis.disconnect())
  const started = Date.now()
  const err = await redis.get('anything').catch((caught: unknown) => caught)
  t.ok(Date.now() - started < 1_000, 'without waiting for a connection')
  t.equal(isRedisUnavailable(err), true)
})
