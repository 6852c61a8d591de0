import t from 'tap'
import { deadLetterQueueFor, routingKeys, topologyFor } from '../src/messages.js'

t.test('every name of a topology comes from its namespace, so two runs never share a queue', async (t) => {
  const names = (namespace: string) => {
    const { exchange, deadLetterExchange, queues } = topologyFor(namespace)
    return [exchange, deadLetterExchange, ...Object.values(queues).map((binding) => binding.queue)]
  }
  t.ok(names('run-a').every((name) => name.startsWith('run-a.')))
  t.same(names('run-a').filter((name) => names('run-b').includes(name)), [])
})

t.test('each queue is bound to the routing key of the one message it carries', async (t) => {
  const { queues } = topologyFor('x')
  t.equal(queues.kitchenOrders.routingKey, routingKeys.orderPlaced)
  t.equal(queues.kitchenCancellations.routingKey, routingKeys.cancelOrder)
  t.equal(queues.waiterStatus.routingKey, routingKeys.orderStatusChanged)
})

t.test("a queue's dead letters go to a queue of its own", async (t) => {
  t.equal(deadLetterQueueFor('x.kitchen.orders'), 'x.kitchen.orders.dead')
})
