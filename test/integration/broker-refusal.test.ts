import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import { topologyFor, type Order } from '@restaurant/shared'
import { startInProcessSystem } from '../support/in-process-system.js'

const run = promisify(execFile)

/** A policy that caps the kitchen's queue at zero messages: the broker then refuses (nacks) every publish. */
async function fillKitchenQueue(namespace: string) {
  const queue = topologyFor(namespace).queues.kitchenOrders.queue
  const name = `${namespace}-full`
  const pattern = `^${queue.replaceAll('.', '\\.')}$`
  await run('rabbitmqctl', ['-q', 'set_policy', '--apply-to', 'queues', name, pattern, '{"max-length":0}'])
  return async () => void (await run('rabbitmqctl', ['-q', 'clear_policy', name]))
}

t.test('an order the broker does not confirm is answered 503 with Retry-After, and no order exists', async (t) => {
  const system = await startInProcessSystem(t)
  const release = await fillKitchenQueue(system.run.namespace)
  t.teardown(release)
  const order = { items: [{ menuItemId: 'fries', quantity: 1 }] }
  const headers = { 'idempotency-key': 'refused-1' }
  // Policies reach the queue asynchronously: wait until the broker refuses.
  let refused = await system.app.inject({ method: 'POST', url: '/api/orders', payload: order, headers: { 'idempotency-key': 'probe' } })
  for (let i = 0; refused.statusCode === 202 && i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    refused = await system.app.inject({ method: 'POST', url: '/api/orders', payload: order, headers: { 'idempotency-key': `probe-${i}` } })
  }
  const response = await system.app.inject({ method: 'POST', url: '/api/orders', payload: order, headers })
  t.equal(response.statusCode, 503)
  t.equal(response.headers['retry-after'], '2')
  t.equal(response.json().code, 'broker-unavailable')
  const orders = (await system.app.inject({ method: 'GET', url: '/api/orders?status=placed' })).json<{ orders: Order[] }>()
  t.same(orders.orders.map((o) => o.id), [], 'the kitchen never saw it')

  await release()
  const retried = await (async () => {
    for (let i = 0; i < 50; i++) {
      const attempt = await system.app.inject({ method: 'POST', url: '/api/orders', payload: order, headers })
      if (attempt.statusCode === 202) return attempt.json<Order>()
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error('the broker never took the order back')
  })()
  const ready = await system.waitForStatus(retried.id, 'ready')
  t.equal(ready.history.filter((h) => h.status === 'placed').length, 1, 'the retry placed it once')
})
