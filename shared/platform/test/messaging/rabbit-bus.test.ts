import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { deadLetterQueueFor } from '@restaurant/contracts'
import type { Bus } from '../../src/messaging/rabbit-bus.js'
import { connectionPids, forceClose, gate, Greeting, outcome, setup, until, within, type Delivery } from './rabbit-harness.js'

function isConnected(bus: Bus): boolean {
  try {
    bus.assertConnected()
    return true
  } catch {
    return false
  }
}

/** Records every change of the bus's connection, polled about every millisecond, and runs `onDown` the first time it drops. */
function watchConnection(bus: Bus, onDown: () => void) {
  const changes = [{ connected: isConnected(bus), at: Date.now() }]
  let watching = true
  void (async () => {
    while (watching) {
      const connected = isConnected(bus)
      if (connected !== changes.at(-1)?.connected) {
        if (!connected && changes.every((c) => c.connected)) onDown()
        changes.push({ connected, at: Date.now() })
      }
      await sleep(1)
    }
  })()
  return { changes, sawLoss: () => changes.some((c) => !c.connected), stop: () => void (watching = false) }
}

t.test('a message is acked only after its handler resolves: the queue holds it as unacked until then', async (t) => {
  const { topology, connect, channel, depth, losses } = await setup(t)
  const { waiterStatus } = topology.queues
  const held = gate()
  t.teardown(held.open)

  const { bus: first } = await connect()
  const received: Delivery[] = []
  await first.consume(waiterStatus, Greeting, async (message, context) => {
    received.push({ message, context, at: Date.now() })
    await held.opened
  })
  await first.publish(waiterStatus.routingKey, { greeting: 'hold me' }, 'corr-2')
  await until('the first delivery', () => received.length === 1)

  const whileHeld = await channel.checkQueue(waiterStatus.queue)
  t.equal(whileHeld.messageCount, 0, 'not ready for anyone else while the handler runs')
  t.equal(whileHeld.consumerCount, 1)
  await first.close()
  await until('the unacked message to return to the queue', async () => (await depth(waiterStatus.queue)) === 1)

  const { bus: second } = await connect()
  await second.consume(waiterStatus, Greeting, async (message, context) => void received.push({ message, context, at: Date.now() }))
  await until('the redelivery', () => received.length === 2)
  t.equal(received[0]?.context.resumes, false)
  t.same(received[1]?.message, { greeting: 'hold me' })
  t.equal(received[1]?.context.resumes, true)
  t.equal(received[1]?.context.correlationId, 'corr-2')
  t.equal(losses(), 0, 'the connection was never lost')
})

t.test('cancelConsumers waits for in-flight handlers to finish and ack', async (t) => {
  const { topology, connect, depthAfterClose, losses } = await setup(t)
  const { waiterStatus } = topology.queues
  const { bus } = await connect()
  let started = 0
  const finished: string[] = []
  await bus.consume(waiterStatus, Greeting, async ({ greeting }) => {
    started += 1
    await sleep(greeting === 'slow' ? 200 : 400)
    finished.push(greeting)
  })
  await bus.publish(waiterStatus.routingKey, { greeting: 'slow' }, 'corr-8')
  await bus.publish(waiterStatus.routingKey, { greeting: 'slower' }, 'corr-9')
  await until('both handlers to start', () => started === 2)

  await within(5_000, 'cancelConsumers', bus.cancelConsumers())
  t.same(finished, ['slow', 'slower'], 'both handlers had finished when cancelConsumers resolved')
  await bus.close()
  t.equal(await depthAfterClose(waiterStatus.queue), 0, 'acked: nothing returned to the queue when the bus closed')
  t.equal(losses(), 0, 'the connection was never lost')
})

t.test('when the broker closes the connection, the bus reconnects by itself and consumption and publishing resume', async (t) => {
  const { topology, connect, publishRaw, depthAfterClose, losses } = await setup(t)
  const { waiterStatus } = topology.queues
  const { bus, connectionName } = await connect()
  const received: string[] = []
  await bus.consume(waiterStatus, Greeting, async ({ greeting }) => void received.push(greeting))
  await bus.publish(waiterStatus.routingKey, { greeting: 'before' }, 'corr-before')
  await until('the first delivery', () => received.length === 1)

  let whileDown: { outcome: Promise<string>; settledIn: Promise<number> } | undefined
  let rawWhileDown: Promise<void> | undefined
  const watch = watchConnection(bus, () => {
    const asked = Date.now()
    const publish = outcome(bus.publish(waiterStatus.routingKey, { greeting: 'refused' }, 'corr-refused'))
    whileDown = { outcome: publish, settledIn: publish.then(() => Date.now() - asked) }
    rawWhileDown = publishRaw(waiterStatus.routingKey, Buffer.from(JSON.stringify({ greeting: 'while reconnecting' })))
  })
  t.teardown(watch.stop)
  const [oldPid] = await connectionPids(connectionName)
  await forceClose(connectionName)
  await until('the bus to notice the loss', watch.sawLoss, 10_000)
  await until('the bus to reconnect', () => isConnected(bus), 10_000)
  await until('the watcher to see it', () => watch.changes.at(-1)?.connected === true)
  watch.stop()

  const downMs = (watch.changes[2]?.at ?? NaN) - (watch.changes[1]?.at ?? NaN)
  t.same(watch.changes.map((c) => c.connected), [true, false, true], `connected, then not for ${downMs} ms, then connected again`)
  t.equal(losses(), 1, 'the loss was logged once')
  t.equal(await within(1_000, 'the refusal', whileDown?.outcome ?? Promise.resolve('not attempted')), 'BROKER_UNAVAILABLE')
  // Far below the 5 s confirm timeout, with room for a loaded machine's event loop.
  t.ok((await whileDown?.settledIn ?? Infinity) < 1_000, 'refused at once, not after a confirm timeout')
  await within(5_000, 'the raw publish while reconnecting', rawWhileDown ?? Promise.reject(new Error('not attempted')))
  await within(5_000, 'a publish after recovery', bus.publish(waiterStatus.routingKey, { greeting: 'after' }, 'corr-after'))
  await until('the deliveries after recovery', () => received.length === 3)
  const newPids = await connectionPids(connectionName)
  await bus.cancelConsumers()
  await bus.close()

  t.same(received.sort(), ['after', 'before', 'while reconnecting'], 'each consumed once; the refused one never sent')
  t.equal(newPids.length, 1, 'one connection again')
  t.not(newPids[0], oldPid, 'a new one')
  t.equal(await depthAfterClose(waiterStatus.queue), 0)
})

t.test('a delivery from a lost connection is not acked on the new one: the broker redelivers it', async (t) => {
  const { topology, connect, depth, depthAfterClose, logged, losses } = await setup(t)
  const { waiterStatus } = topology.queues
  const { bus, connectionName } = await connect()
  const [first, second] = [gate(), gate()]
  t.teardown(() => [first, second].forEach(({ open }) => open()))
  const deliveries: Delivery[] = []
  const finished: number[] = []
  await bus.consume(waiterStatus, Greeting, async (message, context) => {
    const n = deliveries.push({ message, context, at: Date.now() })
    await (n === 1 ? first : second).opened
    finished.push(n)
  })
  await bus.publish(waiterStatus.routingKey, { greeting: 'in flight' }, 'corr-lost')
  await until('the first delivery', () => deliveries.length === 1)

  await forceClose(connectionName)
  await until('the redelivery on the new connection', () => deliveries.length === 2, 10_000)
  t.equal(deliveries[0]?.context.resumes, false)
  t.equal(deliveries[1]?.context.resumes, true, 'redelivered by the broker: it resumes')
  t.same(deliveries[1]?.message, { greeting: 'in flight' })
  t.equal(deliveries[1]?.context.correlationId, 'corr-lost')

  first.open()
  await until('the stale handler to finish', () => finished.includes(1))
  await until('its ack to be refused', () => logged('could not settle the delivery; the broker will redeliver it') === 1)
  t.equal(await depth(waiterStatus.queue), 0, 'nothing requeued by the stale ack')

  second.open()
  await until('the message to be handled', () => finished.includes(2))
  await sleep(200)
  await bus.cancelConsumers()
  await bus.close()
  t.equal(deliveries.length, 2, 'not delivered a third time')
  // Had the stale ack gone out on the new channel, it would have acked this delivery (both carry tag 1)
  // and the second ack would be an unknown tag: a channel error, and a second loss.
  t.equal(losses(), 1, 'neither ack took a connection down')
  t.equal(await depthAfterClose(waiterStatus.queue), 0, 'acked once handled')
  t.equal(await depth(deadLetterQueueFor(waiterStatus.queue)), 0)
})
