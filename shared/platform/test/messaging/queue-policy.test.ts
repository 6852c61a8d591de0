import t from 'tap'
import { delayQueuesFor, retryQueueFor, setAsideQueueFor } from '../../src/messaging/queue-policy.js'

t.test('a work queue has one retry tier per delay, in order, then its set-aside queue, each named after its delay', async (t) => {
  t.same(delayQueuesFor('ns.kitchen.orders', { retryDelaysMs: [1_000, 10_000], setAsideMs: 60_000 }), [
    { name: 'ns.kitchen.orders.retry.1000ms', delayMs: 1_000, role: 'retry' },
    { name: 'ns.kitchen.orders.retry.10000ms', delayMs: 10_000, role: 'retry' },
    { name: 'ns.kitchen.orders.set-aside.60000ms', delayMs: 60_000, role: 'set_aside' },
  ])
  t.not(retryQueueFor('q', 100), setAsideQueueFor('q', 100), 'a set-aside queue is never a retry tier, even with the same delay')
})
