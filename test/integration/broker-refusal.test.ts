import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import { topologyFor } from '@restaurant/contracts/messages'
import { startInProcessSystem } from '../support/in-process-system.js'
import { eventually, queueDepth } from '../support/isolation.js'

const run = promisify(execFile)

/**
 * Caps the kitchen's queue at zero ready messages with a policy; the queue overflows with reject-publish, so
 * once it holds one message the broker nacks every further publish: the waiter gets no confirm.
 */
async function capQueue(queue: string) {
  const name = `${queue}-capped`
  const setCap = (maxLength: number) =>
    run('rabbitmqctl', ['-q', 'set_policy', '--apply-to', 'queues', name, `^${queue.replaceAll('.', '\\.')}$`, `{"max-length":${maxLength}}`])
  await setCap(0)
  return {
    // RabbitMQ 3.10 keeps a quorum queue's limit after its policy is cleared, so lift the cap first.
    lift: () => setCap(1_000_000),
    remove: async () => void (await run('rabbitmqctl', ['-q', 'clear_policy', name])),
  }
}


t.test('an order the broker does not confirm is answered 503 with Retry-After, and no order exists', async (t) => {
  // No kitchen consumes here, so the queue's depth shows exactly which orders the broker took.
  const system = await startInProcessSystem(t, {}, { withKitchen: false })
  const queue = topologyFor(system.run.namespace).queues.kitchenOrders.queue
  const cap = await capQueue(queue)
  t.teardown(cap.remove)
  const place = (key: string) =>
    system.inject({ method: 'POST', url: '/api/orders', payload: { items: [{ menuItemId: 'fries', quantity: 1 }] }, headers: { 'idempotency-key': key } })

  // The policy reaches the queue asynchronously; the first order fills it to its cap.
  let probe = 0
  await eventually(async () => ((await place(`probe-${probe++}`)).statusCode === 503 ? true : undefined), 10_000, 'the cap')
  const taken = await queueDepth(queue)

  const refused = await place('refused-1')
  t.equal(refused.statusCode, 503)
  t.equal(refused.headers['retry-after'], '2')
  t.equal(refused.json().code, 'broker-unavailable')
  t.equal(await queueDepth(queue), taken, 'the refused order is not on the queue')
  t.equal((await system.redis.keys(`${system.run.redisPrefix}order:*`)).length, taken, 'nor in the order view')

  await cap.lift()
  const retried = await eventually(async () => {
    const response = await place('refused-1')
    return response.statusCode === 202 ? response : undefined
  }, 10_000, 'the broker to take orders again')
  t.equal(retried.json().status, 'placed')
  t.equal(await queueDepth(queue), taken + 1, 'the retry is on the queue, once')
})
