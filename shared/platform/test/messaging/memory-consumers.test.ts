import t from 'tap'
import { routingKeys, topologyFor } from '@restaurant/contracts/messages'
import type { Inbound } from '../../src/messaging/delivery.js'
import { createMemoryConsumers } from '../../src/messaging/memory-consumers.js'
import { createMemoryQueues, type StoredMessage } from '../../src/messaging/memory-queues.js'

const topology = topologyFor('consumers')
const { kitchenOrders } = topology.queues
const policy = { deliveryLimit: 5, retryDelaysMs: [100], setAsideMs: 1_000 }
const message = (body: string): StoredMessage => ({ content: Buffer.from(body), correlationId: 'corr', messageId: body, headers: {}, redelivered: false, returns: 0 })

/** Consumers on the kitchen's queue, fed `bodies`, whose deliveries stay unsettled until the test settles them. */
function fed(prefetch: number, bodies: string[]) {
  const held: Inbound[] = []
  const signals: AbortSignal[] = []
  const queues = createMemoryQueues(topology, policy, 1, () => consumers.ready())
  const consumers = createMemoryConsumers(queues, prefetch)
  t.teardown(() => {
    consumers.close()
    queues.stop()
  })
  consumers.add(kitchenOrders.queue, async (inbound, { signal }) => {
    held.push(inbound)
    signals.push(signal)
  })
  for (const body of bodies) queues.route(routingKeys.orderPlaced, message(body))
  return { consumers, queues, held, signals }
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

t.test('no more than prefetch deliveries are handed out before one is settled', async (t) => {
  const { queues, held } = fed(2, ['a', 'b', 'c'])
  await turn()
  t.same(held.map((inbound) => inbound.messageId), ['a', 'b'])
  held[0]?.ack()
  await turn()
  t.same(held.map((inbound) => inbound.messageId), ['a', 'b', 'c'])
  t.equal(queues.messages(kitchenOrders.queue).length, 0)
})

t.test('a disconnect aborts the deliveries in flight and puts them back as redeliveries; a late ack throws', async (t) => {
  const { consumers, queues, held, signals } = fed(5, ['a'])
  await turn()
  consumers.disconnect()
  t.throws(() => held[0]?.ack(), /Channel closed/)
  t.same(queues.messages(kitchenOrders.queue).map(({ messageId, redelivered }) => ({ messageId, redelivered })), [{ messageId: 'a', redelivered: true }])
  t.ok(signals[0]?.aborted)
  t.notOk(consumers.connected())
})

t.test('once reconnected the consumers take what waited, flagged as redelivered', async (t) => {
  const { consumers, held } = fed(5, ['a'])
  await turn()
  consumers.disconnect()
  consumers.reconnect()
  await turn()
  t.same(held.map(({ messageId, redelivered }) => ({ messageId, redelivered })), [{ messageId: 'a', redelivered: false }, { messageId: 'a', redelivered: true }])
})

t.test('a message settled twice is refused the second time', async (t) => {
  const { held } = fed(5, ['a'])
  await turn()
  held[0]?.ack()
  t.throws(() => held[0]?.requeue(), /unknown delivery tag/)
})

t.test('settled resolves once the handed-out deliveries are settled and nothing waits', async (t) => {
  const { consumers, held } = fed(5, ['a'])
  await turn()
  held[0]?.ack()
  await t.resolves(consumers.settled(1_000))
})
