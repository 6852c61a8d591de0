import t from 'tap'
import { deadLetterQueueFor, routingKeys, topologyFor } from '@restaurant/contracts/messages'
import { createMemoryQueues, type StoredMessage } from '../../src/messaging/memory-queues.js'
import { retryQueueFor } from '../../src/messaging/queue-policy.js'

const topology = topologyFor('queues')
const { kitchenOrders, waiterStatus, waiterPartnerEvents } = topology.queues
const policy = { deliveryLimit: 2, retryDelaysMs: [100], setAsideMs: 1_000 }
const message = (body: string): StoredMessage => ({ content: Buffer.from(body), correlationId: 'corr', messageId: body, headers: {}, redelivered: false, returns: 0 })

function queuesAnd(timeScale = 1) {
  const readied: string[] = []
  const queues = createMemoryQueues(topology, policy, timeScale, (queue) => void readied.push(queue))
  t.teardown(() => queues.stop())
  return { queues, readied }
}

t.test('a message is routed to the queue bound to its routing key only, which is told it has work', async (t) => {
  const { queues, readied } = queuesAnd()
  queues.route(routingKeys.orderPlaced, message('a'))
  t.same(queues.messages(kitchenOrders.queue).map((m) => m.messageId), ['a'])
  t.same(queues.messages(waiterStatus.queue), [])
  t.same(readied, [kitchenOrders.queue, waiterPartnerEvents.queue], 'and to the queue also bound to it')
})

t.test('a routing key no queue is bound to any more, or an unknown queue, is refused as unroutable', async (t) => {
  const { queues } = queuesAnd()
  queues.unbind(kitchenOrders.queue)
  queues.unbind(waiterPartnerEvents.queue)
  t.throws(() => queues.route(routingKeys.orderPlaced, message('a')), { code: 'UNROUTABLE_MESSAGE' })
  t.throws(() => queues.send('no-such-queue', message('b')), { code: 'UNROUTABLE_MESSAGE' })
})

t.test('a message given back goes to the head of its queue as a redelivery, until the delivery limit dead-letters it', async (t) => {
  const { queues } = queuesAnd()
  queues.route(routingKeys.orderPlaced, message('first'))
  queues.route(routingKeys.orderPlaced, message('second'))
  let taken = queues.take(kitchenOrders.queue)
  for (let returns = 1; taken?.messageId === 'first' && returns <= policy.deliveryLimit; returns++) {
    queues.giveBack(kitchenOrders.queue, taken)
    taken = queues.take(kitchenOrders.queue)
    t.match(taken, { messageId: 'first', redelivered: true, returns }, `back first after return ${returns}`)
  }
  if (taken) queues.giveBack(kitchenOrders.queue, taken)
  t.same(queues.messages(deadLetterQueueFor(kitchenOrders.queue)).map((m) => [m.messageId, m.deathReason]), [['first', 'delivery_limit']])
  t.same(queues.messages(kitchenOrders.queue).map((m) => m.messageId), ['second'])
})

t.test('a message on a retry tier comes back to its work queue as a fresh message once the tier expires', async (t) => {
  const { queues, readied } = queuesAnd(0.1)
  const tier = retryQueueFor(kitchenOrders.queue, 100)
  queues.send(tier, { ...message('retried'), redelivered: true, returns: 1, headers: { 'x-retries': 1 } })
  t.equal(queues.delayed(), 1)
  t.same(queues.messages(kitchenOrders.queue), [], 'not before it expires')
  await new Promise((resolve) => setTimeout(resolve, 30))

  t.same(queues.messages(tier), [])
  t.match(queues.messages(kitchenOrders.queue), [{ messageId: 'retried', redelivered: false, returns: 0, headers: { 'x-retries': 1 } }])
  t.same(readied, [kitchenOrders.queue])
  t.equal(queues.delayed(), 0)
})

t.test('stopping clears the expiries; what waits on a delay queue stays there', async (t) => {
  const { queues } = queuesAnd(0.1)
  const tier = retryQueueFor(kitchenOrders.queue, 100)
  queues.send(tier, message('parked'))
  queues.stop()
  await new Promise((resolve) => setTimeout(resolve, 30))
  t.equal(queues.messages(tier).length, 1)
  t.same(queues.messages(kitchenOrders.queue), [])
})
