import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { routingKeys } from '@restaurant/contracts/messages'
import type { Bus } from '../../src/messaging/bus.js'
import { Greeting, isConnected, outcome, until, within, type HarnessFor } from './bus-harness.js'

const { menuChanged } = routingKeys

/** Subscribes to `menu.changed`, recording each greeting with its correlation id; `fails` says which throw. */
async function subscriber(bus: Bus, fails: (greeting: string) => boolean = () => false) {
  const received: Array<{ greeting: string; correlationId: string }> = []
  let subscribed = 0
  const handler = async ({ greeting }: { greeting: string }, correlationId: string) => {
    received.push({ greeting, correlationId })
    if (fails(greeting)) throw new Error('the handler failed')
  }
  await bus.subscribe(menuChanged, Greeting, handler, { onSubscribed: () => void (subscribed += 1) })
  return { received, greetings: () => received.map(({ greeting }) => greeting), subscribed: () => subscribed }
}

/** Broadcasts (Bus.subscribe), as every Bus keeps them; run against RabbitMQ and the memory bus. */
export function broadcastContract(harnessFor: HarnessFor): void {
  t.test('every instance receives each broadcast once, on a queue of its own, in the order published, with its correlation id', async (t) => {
    const { connect, connectPeer, queuesBoundTo, losses } = await harnessFor(t)
    const publisher = await connect()
    const first = await subscriber(publisher)
    const second = await subscriber(await connectPeer())
    t.equal(first.subscribed(), 1, 'told once it is subscribed')
    t.equal(second.subscribed(), 1)
    t.equal(new Set(await queuesBoundTo(menuChanged)).size, 2, 'a queue for each')

    for (const n of [1, 2, 3]) await within(5_000, 'the confirm', publisher.publish(menuChanged, { greeting: `change ${n}` }, `corr-${n}`))
    await until('both to receive all three', () => first.received.length === 3 && second.received.length === 3)
    await sleep(200)

    const expected = [1, 2, 3].map((n) => ({ greeting: `change ${n}`, correlationId: `corr-${n}` }))
    t.same(first.received, expected, 'each once, in order')
    t.same(second.received, expected)
    t.equal(first.subscribed() + second.subscribed(), 2, 'not told again while connected')
    t.equal(losses(), 0, 'the connection was never lost')
  })

  t.test('a broadcast that fails the schema or whose handler throws is logged once and dropped; later ones still come', async (t) => {
    const { connect, publishRaw, logged, logLines, losses } = await harnessFor(t)
    const bus = await connect()
    const instance = await subscriber(bus, (greeting) => greeting === 'throws')

    await publishRaw(menuChanged, Buffer.from(JSON.stringify({ not: 'a greeting' })))
    await publishRaw(menuChanged, Buffer.from('not json'))
    await bus.publish(menuChanged, { greeting: 'throws' }, 'corr-throws')
    await bus.publish(menuChanged, { greeting: 'after' }, 'corr-after')
    await until('the later broadcast', () => instance.greetings().includes('after'))
    await sleep(300)

    t.same(instance.greetings(), ['throws', 'after'], 'the malformed ones never reach the handler; the failed one is not redelivered')
    t.equal(logged('malformed broadcast dropped'), 2)
    t.same(logLines('broadcast handler failed; message dropped').map(({ reqId }) => reqId), ['corr-throws'], 'logged once, with its correlation id')
    t.equal(losses(), 0, 'no channel error either')
  })

  t.test('after a lost connection the instance has a new queue, is told to catch up, and receives what is published from then on', async (t) => {
    const { connect, queuesBoundTo, queueExists, loseConnection, losses } = await harnessFor(t)
    const bus = await connect()
    const instance = await subscriber(bus)
    const before = await queuesBoundTo(menuChanged)
    await bus.publish(menuChanged, { greeting: 'before' }, 'corr-before')
    await until('the first broadcast', () => instance.received.length === 1)

    await loseConnection(bus)
    await until('the subscriber to be told again', () => instance.subscribed() === 2, 10_000)
    await until('the bus to be connected again', () => isConnected(bus), 10_000)
    const after = await queuesBoundTo(menuChanged)
    t.equal(await within(5_000, 'the confirm', outcome(bus.publish(menuChanged, { greeting: 'after' }, 'corr-after'))), 'confirmed')
    await until('the broadcast after recovery', () => instance.received.length === 2)

    t.same(instance.greetings(), ['before', 'after'])
    t.equal(before.length, 1)
    t.equal(after.length, 1, 'one queue again')
    t.not(after[0], before[0], 'a new one')
    t.equal(await queueExists(before[0] ?? 'none'), false, 'the lost one went with its connection')
    t.equal(losses(), 1)
  })

  t.test("an instance's queue goes once its consumers are cancelled or its bus closes; a broadcast nobody subscribes to is refused", async (t) => {
    const { topology, connect, queuesBoundTo, queueExists, unbind } = await harnessFor(t)
    const cancelled = await connect()
    // The partner events' named queue takes menu changes too: without it, only instances' queues take them.
    await unbind({ queue: topology.queues.waiterPartnerEvents.queue, routingKey: menuChanged })
    await subscriber(cancelled)
    const [cancelledQueue = 'none', ...others] = await queuesBoundTo(menuChanged)
    t.same(others, [], 'one queue bound')
    t.ok(await queueExists(cancelledQueue), 'there while subscribed')
    await cancelled.cancelConsumers()
    await until('the queue to go once cancelled', async () => !(await queueExists(cancelledQueue)))
    t.equal(await outcome(cancelled.publish(menuChanged, { greeting: 'nobody listens' }, 'corr-nobody')), 'UNROUTABLE_MESSAGE')

    const closed = await connect()
    await subscriber(closed)
    const [closedQueue = 'none'] = await queuesBoundTo(menuChanged)
    t.ok(await queueExists(closedQueue), 'there while subscribed')
    await closed.close()
    await until('the queue to go once its bus closed', async () => !(await queueExists(closedQueue)))
    t.same(await queuesBoundTo(menuChanged), [], 'none left bound')
  })
}
