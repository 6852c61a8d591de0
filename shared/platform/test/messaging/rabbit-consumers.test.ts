import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import amqp from 'amqplib'
import { pino } from 'pino'
import t, { type Test } from 'tap'
import { Compile } from 'typebox/compile'
import { topologyFor } from '@restaurant/contracts/messages'
import type { MessageContext } from '../../src/messaging/bus.js'
import { createConsumers } from '../../src/messaging/rabbit-consumers.js'
import { memberRotation } from '../../src/messaging/broker-members.js'
import { openSession } from '../../src/messaging/rabbit-session.js'
import { deleteTopology } from '../../src/messaging/rabbit-topology.js'
import { gate, Greeting, until, within } from './bus-harness.js'
import { url } from './rabbit-harness.js'

const policy = { deliveryLimit: 5, retryDelaysMs: [50], setAsideMs: 100, maxHoldMs: 5_000 }
const log = pino({ level: 'silent' })

/** A topology of its own with a way to open sessions on it, consume, feed its queue and count it; all closed at teardown. */
async function setup(t: Test) {
  const topology = topologyFor(`test-${randomUUID()}`)
  const { queue } = topology.queues.kitchenOrders
  const stopping = new AbortController()
  const options = { ...policy, urls: [url], topology, log, connectionName: topology.exchange, confirmTimeoutMs: 5_000, heartbeatSeconds: 5 }
  const open = async () => {
    const session = await within(10_000, 'a session', openSession({ options, stopping: stopping.signal, onOpen: async () => undefined, onLost: () => undefined, members: memberRotation(options.urls) }))
    t.teardown(() => session.connection.close().catch(() => undefined))
    return session
  }
  const admin = await within(10_000, 'RabbitMQ', amqp.connect(url))
  t.teardown(async () => {
    stopping.abort()
    await deleteTopology(await admin.createChannel(), topology, policy).catch(() => undefined)
    await admin.close()
  })
  const channel = await admin.createConfirmChannel()
  const send = async (...greetings: string[]) => {
    for (const greeting of greetings) channel.sendToQueue(queue, Buffer.from(JSON.stringify({ greeting })), { persistent: true })
    await channel.waitForConfirms()
  }
  const depth = async () => (await channel.checkQueue(queue)).messageCount
  const consumersWith = (prefetch: number) => createConsumers({ ...policy, log, prefetch, exchange: topology.exchange })
  return { queue, open, send, depth, channel, consumersWith }
}

/** A consumer whose handler records each greeting and context, and waits for the gate before it resolves. */
function held() {
  const started: Array<{ greeting: string; context: MessageContext }> = []
  const { opened, open } = gate()
  const handler = async ({ greeting }: { greeting: string }, context: MessageContext) => {
    started.push({ greeting, context })
    await opened
  }
  const firstContext = () => {
    if (!started[0]) throw new Error('no handler started')
    return started[0].context
  }
  return { started, open, firstContext, spec: (queue: string) => ({ queue, check: Compile(Greeting), handler }) }
}

/** Consumers of the given prefetch whose handler holds the one message sent, until the test lets it go. */
async function holdingOne(t: Test, prefetch: number, greeting: string) {
  const { queue, open, send, depth, consumersWith } = await setup(t)
  const consumers = consumersWith(prefetch)
  const handler = held()
  await consumers.add(await open(), handler.spec(queue))
  await send(greeting)
  await until('the handler to start', () => handler.started.length === 1)
  return { send, depth, consumers, handler }
}

t.test('a consumer holds no more deliveries in flight than its prefetch, and acks each once its handler resolved', async (t) => {
  const { queue, open, send, depth, consumersWith } = await setup(t)
  const consumers = consumersWith(2)
  const handler = held()
  await consumers.add(await open(), handler.spec(queue))
  t.same(consumers.queues(), [queue])
  await send('one', 'two', 'three')
  await until('two handlers to start', () => handler.started.length === 2)
  await sleep(200)
  t.equal(handler.started.length, 2, 'the third waits for a free slot')
  handler.open()
  await until('the third to be handled', () => handler.started.length === 3)
  await until('all acked', async () => (await depth()) === 0)
  t.same(handler.started.map(({ greeting }) => greeting), ['one', 'two', 'three'])
})

t.test('cancelling stops new deliveries, aborts the signals of those in flight, and waits for their handlers', async (t) => {
  const { send, depth, consumers, handler } = await holdingOne(t, 1, 'in flight')
  let cancelled = false
  const cancelling = consumers.cancel().then(() => (cancelled = true))
  await sleep(200)
  t.notOk(cancelled, 'the cancel waits while a handler is in flight')
  const context = handler.firstContext()
  t.ok(context.signal.aborted, 'the handler is told the consumer is draining')
  t.notOk(context.channelClosed.aborted, 'but its channel is still there to settle on')
  handler.open()
  await within(5_000, 'the cancel', cancelling)
  await send('after the cancel')
  await sleep(300)
  t.equal(handler.started.length, 1, 'nothing new is delivered')
  t.equal(await depth(), 1, 'the handled message was acked; the new one waits on its queue')
})

t.test('a new session subscribes every consumer again, and none once draining', async (t) => {
  const { queue, open, send, depth, consumersWith } = await setup(t)
  const consumers = consumersWith(5)
  const handler = held()
  handler.open()
  const first = await open()
  await consumers.add(first, handler.spec(queue))
  await first.connection.close()
  await consumers.resubscribe(await open())
  await send('on the new session')
  await until('the delivery on the new session', () => handler.started.length === 1)
  await consumers.cancel()
  await consumers.resubscribe(await open())
  await send('while draining')
  await sleep(300)
  t.equal(handler.started.length, 1)
  t.equal(await depth(), 1, 'the message waits for another consumer')
})

t.test('a consumer whose queue is deleted takes its session down, to recover as a whole', async (t) => {
  const { queue, open, channel, consumersWith } = await setup(t)
  const consumers = consumersWith(5)
  const session = await open()
  await consumers.add(session, held().spec(queue))
  await channel.deleteQueue(queue)
  await until('the session to close', () => session.closed)
  t.ok(session.closed)
})

t.test('closing the channels aborts the work in flight as no longer settleable, and the broker gives its message back', async (t) => {
  const { depth, consumers, handler } = await holdingOne(t, 5, 'held')
  await consumers.closeChannels()
  const context = handler.firstContext()
  t.ok(context.channelClosed.aborted)
  t.ok(context.signal.aborted)
  handler.open()
  await until('the message back on its queue', async () => (await depth()) === 1)
  t.equal(handler.started.length, 1, 'and it is not handled again on a closed channel')
})

t.test('handlers finishing in any order, their acks batched, leave nothing unacked', async (t) => {
  const { queue, open, send, depth, consumersWith } = await setup(t)
  const consumers = consumersWith(20)
  const gates = new Map<string, () => void>()
  const handler = async ({ greeting }: { greeting: string }) => new Promise<void>((resolve) => gates.set(greeting, resolve))
  await consumers.add(await open(), { queue, check: Compile(Greeting), handler })
  const greetings = Array.from({ length: 20 }, (_, n) => `greeting ${n}`)
  await send(...greetings)
  await until('every handler to start', () => gates.size === 20)
  for (const greeting of [...greetings].sort(() => Math.random() - 0.5)) gates.get(greeting)?.()
  await consumers.cancel()
  await consumers.closeChannels()
  t.equal(await depth(), 0, 'no delivery came back to the queue: every one was acked')
})
