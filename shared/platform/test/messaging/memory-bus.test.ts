import { randomUUID } from 'node:crypto'
import { pino } from 'pino'
import t, { type Test } from 'tap'
import { routingKeys, topologyFor } from '@restaurant/contracts/messages'
import { createMemoryBus, type MemoryBus, type MemoryBusOptions } from '../../src/messaging/memory-bus.js'
import { gate, Greeting, keptLogs, outcome, ownQueuesOf, type BusHarness } from './bus-harness.js'
import { broadcastContract } from './broadcast.contract.js'
import { busContract } from './bus.contract.js'
import { deliveryContract } from './delivery.contract.js'
import { waitingContract } from './waiting.contract.js'

/** The contract suites' view of the memory bus: the queues are those of the last bus connected. */
async function memoryHarness(t: Test): Promise<BusHarness> {
  const topology = topologyFor(`memory-${randomUUID()}`)
  const { destination, logged, logLines } = keptLogs()
  const log = pino({ level: 'warn' }, destination)
  const buses: MemoryBus[] = []
  let losses = 0
  t.teardown(() => Promise.all(buses.map((bus) => bus.close())))
  const current = () => buses.at(-1) ?? createMemoryBus({ topology })
  return {
    topology,
    async connect(settings = {}) {
      const bus = createMemoryBus({ topology, log, prefetch: 10, deliveryLimit: 5, retryDelaysMs: [50], maxHoldMs: 5_000, setAsideMs: 100, ...settings })
      buses.push(bus)
      return bus
    },
    publishRaw: async (routingKey, content) => current().publishRaw(routingKey, content),
    depth: async (queue) => current().depth(queue),
    depthAfterClose: async (queue) => current().depth(queue),
    takeDeadLetters: async (queue) => current().deadLetters(queue),
    unbind: async ({ queue }) => current().unbind(queue),
    connectPeer: async () => current(),
    queuesBoundTo: async (routingKey) => ownQueuesOf(topology, current().boundQueues(routingKey)),
    queueExists: async (queue) => current().hasQueue(queue),
    async loseConnection(bus) {
      const lost = buses.find((candidate) => candidate === bus)
      losses += 1
      lost?.disconnect()
      setImmediate(() => lost?.reconnect())
    },
    logged,
    logLines,
    losses: () => losses,
  }
}

busContract(memoryHarness)
broadcastContract(memoryHarness)
deliveryContract(memoryHarness)
waitingContract(memoryHarness)

function fastBus(t: Test, options: Partial<MemoryBusOptions> = {}) {
  const topology = topologyFor('memory')
  const bus = createMemoryBus({ topology, timeScale: 0.001, ...options })
  t.teardown(() => bus.close())
  return { bus, topology }
}

t.test('published lists what the bus accepted, per routing key, and handlers get a copy, not the object published', async (t) => {
  const { bus, topology } = fastBus(t)
  const original = { greeting: 'hello' }
  let received: unknown
  await bus.consume(topology.queues.waiterStatus, Greeting, async (message) => void (received = message))
  await bus.publish(routingKeys.orderStatusChanged, original, 'corr-1')
  await bus.publish(routingKeys.orderPlaced, { greeting: 'to the kitchen' }, 'corr-2')
  await bus.settled()

  t.same(bus.published(routingKeys.orderStatusChanged), [{ routingKey: routingKeys.orderStatusChanged, message: original, correlationId: 'corr-1' }])
  t.equal(bus.published().length, 2)
  t.same(received, original)
  t.not(received, original, 'a copy')
  t.equal(bus.depth(topology.queues.kitchenOrders.queue), 1, 'the unconsumed one waits on its queue')
})

t.test('with time scaled down, settled waits out every retry tier and the message ends among the dead letters', async (t) => {
  const { bus, topology } = fastBus(t, { retryDelaysMs: [1_000, 10_000] })
  let attempts = 0
  await bus.consume(topology.queues.kitchenOrders, Greeting, async () => {
    attempts += 1
    throw new Error('always fails')
  })
  const started = Date.now()
  await bus.publish(routingKeys.orderPlaced, { greeting: 'poison' }, 'corr-poison')
  await bus.settled()

  t.ok(Date.now() - started < 2_000, 'eleven seconds of tiers in well under two')
  t.equal(attempts, 3)
  t.same(bus.deadLetters(topology.queues.kitchenOrders.queue).map(({ message, reason, correlationId }) => ({ message, reason, correlationId })), [
    { message: { greeting: 'poison' }, reason: 'rejected', correlationId: 'corr-poison' },
  ])
})

t.test('while disconnected the bus refuses publishes and delivers nothing; once reconnected it delivers what waited', async (t) => {
  const { bus, topology } = fastBus(t)
  const received: string[] = []
  await bus.consume(topology.queues.waiterStatus, Greeting, async ({ greeting }) => void received.push(greeting))
  bus.publishRaw(routingKeys.orderStatusChanged, Buffer.from(JSON.stringify({ greeting: 'queued' })))
  bus.disconnect()

  t.equal(await outcome(bus.publish(routingKeys.orderStatusChanged, { greeting: 'refused' }, 'corr-refused')), 'BROKER_UNAVAILABLE')
  t.throws(() => bus.assertConnected(), /not connected/)
  await bus.settled()
  t.same(received, [], 'nothing delivered while down')
  bus.reconnect()
  t.doesNotThrow(() => bus.assertConnected())
  await bus.settled()
  t.same(received, ['queued'])
  t.equal(bus.published().length, 0, 'a refused publish is not listed')
})

t.test('settled gives up after its timeout while a handler is still busy', async (t) => {
  const { bus, topology } = fastBus(t)
  const held = gate()
  t.teardown(held.open)
  await bus.consume(topology.queues.waiterStatus, Greeting, () => held.opened)
  await bus.publish(routingKeys.orderStatusChanged, { greeting: 'busy' }, 'corr-busy')

  await t.rejects(bus.settled(50), /did not settle/)
  held.open()
  await bus.settled()
  t.equal(bus.depth(topology.queues.waiterStatus.queue), 0)
})
