import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { buildInternalServer } from '@restaurant/platform/http/internal-server'
import { queuePolicyFrom } from '@restaurant/platform/messaging/rabbit-bus'
import { loadConfig, rabbitConfig } from '@restaurant/platform/runtime/config'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { customer, signedIdentity } from '../../../test/support/credentials.js'
import { isolatedRun } from '../../../test/support/isolation.js'
import { menuOnlyKitchen } from '../../../test/support/menu-only-kitchen.js'
import { loadWaiterConfig } from '../src/config.js'
import { startWaiterService } from '../src/service.js'

t.test('the wired waiter, on the real broker and Redis, is ready, takes an order into its view, and closes', async (t) => {
  const run = await isolatedRun(queuePolicyFrom(loadConfig(rabbitConfig, {})))
  t.teardown(() => run.cleanUp())
  const config = loadWaiterConfig({ NODE_ENV: 'test', AMQP_NAMESPACE: run.namespace, REDIS_PREFIX: run.redisPrefix, DATA_DIR: run.dataDir, KITCHEN_URL: await menuOnlyKitchen(t) })
  const log = createLogger({ name: 'test', level: 'silent', pretty: false })
  const waiter = await startWaiterService(config, log)
  let closed = false
  t.teardown(async () => closed || (await waiter.close()))
  const ready = await buildInternalServer(log, waiter).inject({ method: 'GET', url: '/ready' })
  t.equal(ready.statusCode, 200)
  t.match(ready.json(), { checks: { rabbitmq: { required: true }, redis: { required: false }, menu: { required: true } } }, 'Redis only degrades it')
  const placed = await waiter.app.inject({
    method: 'POST',
    url: '/api/orders',
    payload: { items: [{ menuItemId: 'lemonade', quantity: 1 }] },
    headers: signedIdentity(customer(), 'POST', '/api/orders'),
  })
  t.equal(placed.statusCode, 202)
  const order = placed.json<Order>()
  t.match(JSON.parse((await waiter.redis.hget(`order:${order.id}`, 'order')) ?? '{}'), { id: order.id, status: 'placed' })
  await waiter.close()
  closed = true
  for (let waited = 0; waiter.redis.status !== 'end' && waited < 2_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10))
  t.equal(waiter.redis.status, 'end', 'Redis is let go')
})

t.test('a waiter whose kitchen has never answered holds no menu: not ready, and an order is 503, not priced from nothing', async (t) => {
  const run = await isolatedRun(queuePolicyFrom(loadConfig(rabbitConfig, {})))
  t.teardown(() => run.cleanUp())
  const log = createLogger({ name: 'test', level: 'silent', pretty: false })
  const waiter = await startWaiterService(loadWaiterConfig({ NODE_ENV: 'test', AMQP_NAMESPACE: run.namespace, REDIS_PREFIX: run.redisPrefix, KITCHEN_URL: 'http://127.0.0.1:1' }), log)
  t.teardown(() => waiter.close())
  const ready = await buildInternalServer(log, waiter).inject({ method: 'GET', url: '/ready' })
  t.equal(ready.statusCode, 503)
  t.match(ready.json(), { checks: { menu: { required: true, status: 'down' } } })
  const placed = await waiter.app.inject({
    method: 'POST',
    url: '/api/orders',
    payload: { items: [{ menuItemId: 'lemonade', quantity: 1 }] },
    headers: signedIdentity(customer(), 'POST', '/api/orders'),
  })
  t.match(placed.json(), { status: 503, code: 'dependency-unavailable' })
  t.equal(placed.headers['retry-after'], '2')
})
