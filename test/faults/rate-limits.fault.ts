import t from 'tap'
import { admin, asCustomer, bearer } from '../support/credentials.js'
import { startGateway } from '../support/gateway.js'
import { startInProcessSystem } from '../support/in-process-system.js'
import { eventually } from '../support/isolation.js'
import { redisServer, stopDuringTest } from '../support/machine-services.js'

t.test('Redis stopped: ordinary routes fail open on an in-memory limiter, key management closed, keys go on from the waiter\'s store, all recover', async (t) => {
  const system = await startInProcessSystem(t)
  const waiterUrl = await system.app.listen({ host: '127.0.0.1', port: 0 })
  const { gateway, redis: gatewayRedis } = await startGateway(t, waiterUrl, { REDIS_PREFIX: system.run.redisPrefix, RATE_LIMIT_PER_CREDENTIAL: '4' })
  const created = await gateway.inject({ method: 'POST', url: '/api/keys', headers: bearer(admin), payload: { name: 'till', roles: ['customer'] } })
  const { key } = created.json<{ key: string }>()
  const alice = asCustomer('alice')
  const statusOf = async (url: string, headers: Record<string, string>) => (await gateway.inject({ url, headers })).statusCode
  t.equal(await statusOf('/api/orders', alice), 200, 'counted in Redis')
  t.equal(await statusOf('/api/orders', bearer(key)), 200, 'the API key works')

  const restart = await stopDuringTest(t, redisServer)
  t.equal(await statusOf('/api/keys', bearer(admin)), 503, 'key management fails closed: its budget cannot be counted')
  t.equal(await statusOf('/api/orders', bearer(key)), 200, 'an API key is checked with the waiter')
  const answers: number[] = []
  for (let i = 0; i < 5; i++) answers.push(await statusOf('/api/orders', alice))
  t.same(answers, [200, 200, 200, 200, 429], 'a JWT caller is served (its revocation asked of the waiter), within the in-memory budget')

  await restart()
  // Polling the route itself would spend the admin's budget of 4 (counted in Redis again) while the waiter's own
  // client still reconnects: wait for both clients, then ask once.
  const reconnected = () => [system.redis, gatewayRedis].every((client) => client.status === 'ready')
  await eventually(async () => (reconnected() ? true : undefined), 15_000, 'the waiter and the gateway to reconnect to Redis')
  t.equal(await statusOf('/api/keys', bearer(admin)), 200, 'key management is back')
  // This machine's Redis keeps nothing across a restart (no persistence): the key comes back from the waiter's store.
  t.equal(await statusOf('/api/orders', bearer(key)), 200, 'the key made before the restart still works')
})
