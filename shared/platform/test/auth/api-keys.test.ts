import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import t, { type Test } from 'tap'
import { createApiKeys } from '../../src/auth/api-keys.js'

async function keysOnRealRedis(t: Test) {
  const prefix = `test-api-keys-${randomUUID()}:`
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: prefix })
  t.teardown(async () => {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(prefix.length)))
    redis.disconnect()
  })
  return { apiKeys: createApiKeys(redis), redis, prefix }
}

t.test('a created key authenticates as its own subject with its roles', async (t) => {
  const { apiKeys } = await keysOnRealRedis(t)
  const { key, apiKey } = await apiKeys.create({ name: 'front till', roles: ['customer'] })
  t.match(key, /^rk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
  t.same(await apiKeys.authenticate(key), { subject: `key:${apiKey.id}`, roles: ['customer'] })
})

t.test('Redis holds only a hash of the secret, never the key', async (t) => {
  const { apiKeys, redis, prefix } = await keysOnRealRedis(t)
  const { key } = await apiKeys.create({ name: 'till', roles: ['customer'] })
  const secret = key.split('_').slice(2).join('_')
  for (const stored of await redis.keys(`${prefix}*`)) {
    const name = stored.slice(prefix.length)
    const value = (await redis.type(name)) === 'hash' ? JSON.stringify(await redis.hgetall(name)) : JSON.stringify(await redis.smembers(name))
    t.notOk(value.includes(secret), `${name} holds no secret`)
  }
})

t.test('a wrong secret, an unknown id or a malformed key authenticates nobody', async (t) => {
  const { apiKeys } = await keysOnRealRedis(t)
  const { key, apiKey } = await apiKeys.create({ name: 'till', roles: ['customer'] })
  const wrongSecret = `rk_${apiKey.id}_${'A'.repeat(43)}`
  for (const attempt of [wrongSecret, `rk_${'0'.repeat(12)}_${key.slice(-43)}`, 'rk_short', `${key}x`]) t.equal(await apiKeys.authenticate(attempt), undefined, attempt.slice(0, 20))
})

t.test('a revoked key stops working at once and stays listed with its revocation time', async (t) => {
  const { apiKeys } = await keysOnRealRedis(t)
  const { key, apiKey } = await apiKeys.create({ name: 'partner', roles: ['customer'] })
  const other = await apiKeys.create({ name: 'till', roles: ['customer', 'staff'] })
  const revoked = await apiKeys.revoke(apiKey.id)
  t.ok(revoked?.revokedAt)
  t.equal(await apiKeys.authenticate(key), undefined)
  t.ok(await apiKeys.authenticate(other.key), 'other keys still work')
  t.same((await apiKeys.list()).map((entry) => [entry.name, Boolean(entry.revokedAt)]), [['partner', true], ['till', false]])
  t.equal(await apiKeys.revoke('0'.repeat(12)), undefined, 'no such key')
})
