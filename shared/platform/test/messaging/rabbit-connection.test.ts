import { setTimeout as sleep } from 'node:timers/promises'
import { randomUUID } from 'node:crypto'
import amqp from 'amqplib'
import { pino } from 'pino'
import t from 'tap'
import { topologyFor } from '@restaurant/contracts/messages'
import { openConnection } from '../../src/messaging/rabbit-connection.js'
import { deleteTopology } from '../../src/messaging/rabbit-topology.js'
import type { Bus } from '../../src/messaging/bus.js'
import { Greeting, isConnected, outcome, until, within } from './bus-harness.js'
import { connectionPids, forceClose, setup, url } from './rabbit-harness.js'

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

t.test('a first connection lost while it opens is recovered from, without crashing the process', async (t) => {
  const topology = topologyFor(`test-${randomUUID()}`)
  const policy = { deliveryLimit: 5, retryDelaysMs: [50], setAsideMs: 100 }
  const options = { ...policy, urls: [url], topology, log: pino({ level: 'silent' }), connectionName: topology.exchange, confirmTimeoutMs: 5_000, heartbeatSeconds: 5 }
  let opened = 0
  const connection = await openConnection(options, async (session) => {
    opened += 1
    if (opened === 1) await session.connection.close()
  })
  t.teardown(async () => {
    await connection.stop()
    await connection.close()
    const admin = await amqp.connect(url)
    await deleteTopology(await admin.createChannel(), topology, policy).catch(() => undefined)
    await admin.close()
  })
  await until('a second session, open', () => opened === 2 && !connection.current().closed, 10_000)
  t.pass('the process is still here and the connection healed')
})
