import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { pino } from 'pino'
import t from 'tap'
import { connectRedis, createRedis, describeRedis, isRedisUnavailable, sentinelAddresses } from '../../src/redis/redis.js'

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

t.test('a blocking client waits out a blocking read longer than the command timeout; an ordinary one gives up', async (t) => {
  const config = { ...settings(), REDIS_COMMAND_TIMEOUT_MS: 100 }
  const reader = createRedis(config, log, { blocking: true })
  const ordinary = createRedis(config, log)
  await Promise.all([once(reader, 'ready'), once(ordinary, 'ready')])
  t.teardown(() => {
    reader.disconnect()
    ordinary.disconnect()
  })
  t.equal(await reader.xread('BLOCK', 300, 'STREAMS', 'nothing-yet', '$'), null)
  await t.rejects(ordinary.xread('BLOCK', 300, 'STREAMS', 'nothing-yet', '$'), { message: /timed out/i })
})

t.test('connecting waits until Redis answers', async (t) => {
  const redis = await connectRedis(settings(), log)
  t.teardown(() => redis.disconnect())
  t.equal(redis.status, 'ready')
})

t.test('Sentinels are read from a host:port list, an IPv6 host in brackets or not', async (t) => {
  t.same(sentinelAddresses('127.0.0.1:26391,sentinel-2:26392'), [{ host: '127.0.0.1', port: 26391 }, { host: 'sentinel-2', port: 26392 }])
  t.same(sentinelAddresses('[::1]:26391,::1:26392'), [{ host: '::1', port: 26391 }, { host: '::1', port: 26392 }])
})

t.test('where Redis is, as a person would look for it: the Sentinels and the master they name, or the URL without its password', async (t) => {
  t.equal(describeRedis({ ...settings(), REDIS_URL: 'redis://:secret@redis:6379', REDIS_SENTINELS: '' }), 'Redis at redis://:***@redis:6379')
  t.equal(describeRedis({ ...settings(), REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_MASTER_NAME: 'restaurant' }), 'Redis master restaurant of the Sentinels at s1:26379,s2:26379')
})
