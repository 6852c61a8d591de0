import t from 'tap'
import { broadcastKeys, buildAsyncApiDocument } from '../src/asyncapi.js'
import { routingKeys, topologyFor } from '../src/messages.js'

const document = buildAsyncApiDocument(topologyFor('docs'))

/** What `$ref` points at in the document, or undefined when it does not resolve. */
function resolve(ref: string): unknown {
  const path = ref.replace(/^#\//, '').split('/')
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), document)
}

t.test('every routing key is a channel: each queue of the topology, and each broadcast', async (t) => {
  const topology = topologyFor('docs')
  t.equal(document.asyncapi, '3.0.0')
  t.same(Object.values(document.channels).map((channel) => channel.address).sort(), Object.values(routingKeys).sort())
  // The partner-events queue reads channels of their own queues: it adds none.
  t.equal(Object.keys(document.channels).length, Object.keys(topology.queues).length - 1 + broadcastKeys.length)
  t.match(document.info.description, /`order.placed`, `order.status-changed`, `menu.changed` on `docs.waiter.partner-events`/)
})

t.test('each channel has an operation for its sender and one for each of its receivers', async (t) => {
  const sides = Object.values(document.operations).map((op) => `${op.tags[0]?.name} ${op.action} ${op.channel.$ref}`)
  t.same(sides.sort(), [
    'kitchen receive #/channels/cancelOrder',
    'kitchen receive #/channels/menuChanged',
    'kitchen receive #/channels/orderPlaced',
    'kitchen send #/channels/menuChanged',
    'kitchen send #/channels/orderStatusChanged',
    'waiter receive #/channels/menuChanged',
    'waiter receive #/channels/orderStatusChanged',
    'waiter receive #/channels/webhookDelivery',
    'waiter send #/channels/cancelOrder',
    'waiter send #/channels/orderPlaced',
    'waiter send #/channels/webhookDelivery',
  ])
})

t.test("every operation's channel and messages resolve, and its messages are its channel's", async (t) => {
  for (const [name, operation] of Object.entries(document.operations)) {
    t.ok(resolve(operation.channel.$ref), `${name}: its channel`)
    for (const { $ref } of operation.messages) {
      t.ok(resolve($ref), `${name}: ${$ref}`)
      t.ok($ref.startsWith(`${operation.channel.$ref}/messages/`), `${name}: ${$ref} is on its channel`)
    }
  }
})

t.test('menu.changed is a broadcast: each instance takes it from a classic queue of its own, named by the broker, kept by nothing', async (t) => {
  const channel = document.channels['menuChanged']
  t.equal(channel?.address, 'menu.changed')
  const amqp = channel?.bindings.amqp
  t.match(amqp, { is: 'routingKey', exchange: { name: 'docs.orders', type: 'topic', durable: true } })
  t.same(amqp?.['x-queue'], { perInstance: true, serverNamed: true, type: 'classic', exclusive: true, autoDelete: true, durable: false, deadLettered: false })
  t.match(channel?.description, /every instance of the waiter and the kitchen/)
  t.notMatch(JSON.stringify(channel), 'docs.menu', 'no queue name: the broker names each')
})

t.test('the work queues stay named quorum queues with their dead letters', async (t) => {
  t.same(document.channels['orderPlaced']?.bindings.amqp['x-queue'], { name: 'docs.kitchen.orders', type: 'quorum', durable: true, deadLetterQueue: 'docs.kitchen.orders.dead' })
})

t.test("the document names the topology's dead-letter exchange, and says a broadcast is dropped rather than dead-lettered", async (t) => {
  t.match(document.info.description, 'docs.dead-letter')
  t.match(document.info.description, /broadcast that fails is dropped/)
})
