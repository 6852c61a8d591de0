import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { deadLetterQueueFor, type QueueBinding } from '@restaurant/contracts'
import { DependencyUnavailableError, SetAsideError } from '../../src/runtime/errors.js'
import type { Bus } from '../../src/messaging/rabbit-bus.js'
import type { MessageContext } from '../../src/messaging/bus.js'
import { retryQueueFor, setAsideQueueFor } from '../../src/messaging/rabbit-topology.js'
import { Greeting, setup, until, type Delivery } from './rabbit-harness.js'

// Timers and the broker's TTL may each be a few milliseconds early or late; only lower bounds are asserted.
const slackMs = 20

t.test('a malformed message (not JSON, or JSON of the wrong shape) is dead-lettered without blocking the queue', async (t) => {
  const { topology, connect, depth, publishRaw, getAll, logged, losses } = await setup(t)
  const { waiterStatus } = topology.queues
  const { bus } = await connect({ prefetch: 1 })
  const received: Delivery[] = []
  await bus.consume(waiterStatus, Greeting, async (message, context) => void received.push({ message, context, at: Date.now() }))

  const garbage = Buffer.from([0xff, 0x00, 0x7b, 0x6e, 0x6f, 0x74])
  const wrongShape = Buffer.from(JSON.stringify({ greeting: 42 }))
  await publishRaw(waiterStatus.routingKey, garbage)
  await publishRaw(waiterStatus.routingKey, wrongShape)
  await bus.publish(waiterStatus.routingKey, { greeting: 'after the bad ones' }, 'corr-4')

  await until('the good message', () => received.length === 1)
  t.same(received[0]?.message, { greeting: 'after the bad ones' })
  const dead = deadLetterQueueFor(waiterStatus.queue)
  await until('two dead-lettered messages', async () => (await depth(dead)) === 2)
  const deadLettered = await getAll(dead)
  t.same(deadLettered.map((m) => m.content.toString('hex')).sort(), [garbage, wrongShape].map((b) => b.toString('hex')).sort())
  t.same(deadLettered.map((m) => m.properties.headers?.['x-first-death-reason']), ['rejected', 'rejected'])
  t.equal(received.length, 1, 'the handler never saw the malformed ones')
  t.equal(logged('malformed message dead-lettered'), 2)
  t.equal(losses(), 0, 'the connection was never lost')
})

t.test('a message whose handler always throws goes through every retry tier and is then dead-lettered', async (t) => {
  const { topology, connect, depth, getAll, logged, losses } = await setup(t)
  const { waiterStatus } = topology.queues
  const { bus } = await connect({ retryDelaysMs: [20, 40] })
  let attempts = 0
  await bus.consume(waiterStatus, Greeting, async () => {
    attempts += 1
    throw new Error('always fails')
  })

  await bus.publish(waiterStatus.routingKey, { greeting: 'poison' }, 'corr-5')
  const dead = deadLetterQueueFor(waiterStatus.queue)
  await until('the dead-lettered message', async () => (await depth(dead)) === 1, 10_000)
  await sleep(300)

  t.equal(attempts, 3, 'the first attempt and one per tier, none after it was dead-lettered')
  t.equal(await depth(waiterStatus.queue), 0)
  const [deadLettered, ...more] = await getAll(dead)
  t.equal(more.length, 0, 'dead-lettered once')
  t.same(JSON.parse(String(deadLettered?.content)), { greeting: 'poison' })
  t.equal(deadLettered?.properties.correlationId, 'corr-5')
  t.equal(deadLettered?.properties.headers?.['x-retries'], 2)
  const deaths = (deadLettered?.properties.headers?.['x-death'] ?? []) as Array<{ queue: string; reason: string }>
  t.ok(deaths.some((d) => d.queue === waiterStatus.queue && d.reason === 'rejected'), 'rejected from its own queue at the end')
  t.equal(logged('message failed through every retry; dead-lettered'), 1)
  t.equal(losses(), 0, 'the connection was never lost')
})

t.test('a failing message waits in each retry tier in turn, then is dead-lettered and reported once', async (t) => {
  const { topology, connect, depth, getAll, losses } = await setup(t)
  const { waiterStatus } = topology.queues
  const retryDelaysMs = [100, 300]
  const { bus } = await connect({ retryDelaysMs })
  const calls: Delivery[] = []
  const givenUp: Array<{ message: unknown; context: MessageContext; err: unknown }> = []
  const onGiveUp = async (message: unknown, context: MessageContext, err: unknown) => void givenUp.push({ message, context, err })
  await bus.consume(waiterStatus, Greeting, async (message, context) => {
    calls.push({ message, context, at: Date.now() })
    throw new Error(`attempt ${calls.length} fails`)
  }, { onGiveUp })

  await bus.publish(waiterStatus.routingKey, { greeting: 'doomed' }, 'corr-tiers')
  const dead = deadLetterQueueFor(waiterStatus.queue)
  await until('the dead-lettered message', async () => (await depth(dead)) === 1, 10_000)
  await sleep(300)

  t.same(calls.map((c) => c.context.resumes), [false, true, true], 'one call per tier, each after the first resuming')
  t.same(calls.map((c) => c.context.correlationId), ['corr-tiers', 'corr-tiers', 'corr-tiers'])
  retryDelaysMs.forEach((delayMs, tier) => {
    const gap = (calls[tier + 1]?.at ?? 0) - (calls[tier]?.at ?? Infinity)
    t.ok(gap >= delayMs - slackMs, `waited ${gap} ms in the ${delayMs} ms tier`)
  })
  t.equal(givenUp.length, 1, 'reported once')
  t.same(givenUp[0]?.message, { greeting: 'doomed' })
  t.equal(givenUp[0]?.context.resumes, true)
  t.match(givenUp[0]?.err, { message: 'attempt 3 fails' })
  const deadLettered = await getAll(dead)
  t.same(deadLettered.map((m) => JSON.parse(String(m.content))), [{ greeting: 'doomed' }])
  t.equal(await depth(waiterStatus.queue), 0)
  for (const delayMs of retryDelaysMs) t.equal(await depth(retryQueueFor(waiterStatus.queue, delayMs)), 0, `the ${delayMs} ms tier is empty`)
  t.equal(losses(), 0, 'the connection was never lost')
})

t.test('a message that fails once then succeeds is handled after its first tier and not dead-lettered', async (t) => {
  const { topology, connect, depth, depthAfterClose, losses } = await setup(t)
  const { waiterStatus } = topology.queues
  const retryDelaysMs = [200, 5_000]
  const { bus } = await connect({ retryDelaysMs })
  const calls: Delivery[] = []
  let givenUp = 0
  await bus.consume(waiterStatus, Greeting, async (message, context) => {
    calls.push({ message, context, at: Date.now() })
    if (calls.length === 1) throw new Error('the first attempt fails')
  }, { onGiveUp: async () => void (givenUp += 1) })

  await bus.publish(waiterStatus.routingKey, { greeting: 'again' }, 'corr-3')
  await until('the retry', () => calls.length === 2)
  await sleep(300)
  await bus.cancelConsumers()
  await bus.close()

  t.equal(calls.length, 2, 'not handled again after it succeeded')
  t.same(calls.map((c) => c.message), [{ greeting: 'again' }, { greeting: 'again' }])
  t.same(calls.map((c) => c.context.resumes), [false, true])
  t.same(calls.map((c) => c.context.correlationId), ['corr-3', 'corr-3'])
  const gap = (calls[1]?.at ?? 0) - (calls[0]?.at ?? Infinity)
  t.ok(gap >= 200 - slackMs, `waited ${gap} ms in the first tier`)
  t.equal(givenUp, 0)
  t.equal(await depthAfterClose(waiterStatus.queue), 0, 'acked after the successful retry')
  for (const delayMs of retryDelaysMs) t.equal(await depth(retryQueueFor(waiterStatus.queue, delayMs)), 0)
  t.equal(await depth(deadLetterQueueFor(waiterStatus.queue)), 0, 'not dead-lettered')
  t.equal(losses(), 0, 'the connection was never lost')
})

t.test('a failing message does not block the ones behind it', async (t) => {
  const { topology, connect, depthAfterClose, losses } = await setup(t)
  const { waiterStatus } = topology.queues
  // One delivery in flight at a time: a failing message that held its slot while it waited would stall the rest.
  const { bus } = await connect({ prefetch: 1, retryDelaysMs: [3_000] })
  const handled: string[] = []
  let failures = 0
  await bus.consume(waiterStatus, Greeting, async ({ greeting }) => {
    handled.push(greeting)
    if (greeting === 'fails once' && failures++ === 0) throw new Error('the first attempt fails')
  })

  await bus.publish(waiterStatus.routingKey, { greeting: 'fails once' }, 'corr-blocker')
  const good = Array.from({ length: 20 }, (_, i) => `good ${i}`)
  await Promise.all(good.map((greeting, i) => bus.publish(waiterStatus.routingKey, { greeting }, `corr-good-${i}`)))
  await until('the retry of the failing one', () => handled.length === 22, 10_000)
  await bus.cancelConsumers()
  await bus.close()

  t.equal(handled[0], 'fails once', 'the failing one came first')
  t.same(handled.slice(1, 21).sort(), [...good].sort(), 'then every good one')
  t.equal(handled[21], 'fails once', 'and only then its retry')
  t.equal(await depthAfterClose(waiterStatus.queue), 0)
  t.equal(losses(), 0, 'the connection was never lost')
})

/**
 * Consumes with a handler whose dependency is away for `awayMs`, publishes one message, and returns every
 * attempt once the message has been handled after the dependency came back; the bus is closed by then.
 */
async function handledThroughAnOutage(bus: Bus, binding: QueueBinding, awayMs: number): Promise<Delivery[]> {
  const calls: Delivery[] = []
  const backAt = Date.now() + awayMs
  await bus.consume(binding, Greeting, async (message, context) => {
    calls.push({ message, context, at: Date.now() })
    if (Date.now() < backAt) throw new DependencyUnavailableError('the store')
  })
  await bus.publish(binding.routingKey, { greeting: 'patient' }, 'corr-outage')
  await until('the message handled once the dependency is back', () => (calls.at(-1)?.at ?? 0) >= backAt, 10_000)
  await bus.cancelConsumers()
  await bus.close()
  return calls
}

t.test('a message whose handler needs a dependency that is away waits for it, then is handled: no retry tier, no dead letter', async (t) => {
  const { topology, connect, depth, depthAfterClose, logged, losses } = await setup(t)
  const { waiterStatus } = topology.queues
  const { bus } = await connect({ retryDelaysMs: [50], maxHoldMs: 10_000 })
  const calls = await handledThroughAnOutage(bus, waiterStatus, 1_500)

  t.comment(`${calls.length} attempts over ${(calls.at(-1)?.at ?? 0) - (calls[0]?.at ?? 0)} ms`)
  t.ok(calls.length >= 3 && calls.length <= 12, `tried again with backoff, not in a hot loop (${calls.length} attempts)`)
  t.same(calls.map((c) => c.context.resumes), calls.map((_, i) => i > 0), 'every attempt after the first resumes')
  t.equal(await depthAfterClose(waiterStatus.queue), 0, 'acked once handled')
  t.equal(await depth(retryQueueFor(waiterStatus.queue, 50)), 0, 'no retry tier spent on waiting')
  t.equal(await depth(deadLetterQueueFor(waiterStatus.queue)), 0)
  t.equal(logged('waiting before handling the message again'), 1, 'the wait is logged once')
  t.equal(losses(), 0)
})

t.test('a message that waits longer than a delivery may be held is set aside and comes back, with its retries unspent', async (t) => {
  const { topology, connect, depth, depthAfterClose, getAll } = await setup(t)
  const { waiterStatus } = topology.queues
  const { bus } = await connect({ retryDelaysMs: [50], maxHoldMs: 400, setAsideMs: 300 })
  const calls = await handledThroughAnOutage(bus, waiterStatus, 1_200)

  const gaps = calls.slice(1).map((call, i) => call.at - (calls[i]?.at ?? 0))
  t.ok(gaps.some((gap) => gap >= 300 - slackMs), `it waited on the set-aside queue at least once (gaps ${gaps.join(', ')} ms)`)
  t.equal(await depthAfterClose(waiterStatus.queue), 0)
  t.equal(await depth(setAsideQueueFor(waiterStatus.queue, 300)), 0)
  t.equal(await depth(deadLetterQueueFor(waiterStatus.queue)), 0, 'waiting never dead-letters')
  t.same(await getAll(retryQueueFor(waiterStatus.queue, 50)), [], 'nor spends a retry tier')
})

t.test('a handler can set its message aside: it comes back later as a resumption', async (t) => {
  const { topology, connect, depth, depthAfterClose } = await setup(t)
  const { kitchenOrders } = topology.queues
  const { bus } = await connect({ setAsideMs: 200 })
  const calls: Delivery[] = []
  await bus.consume(kitchenOrders, Greeting, async (message, context) => {
    calls.push({ message, context, at: Date.now() })
    if (calls.length === 1) throw new SetAsideError('its station is busy for an hour')
  })

  await bus.publish(kitchenOrders.routingKey, { greeting: 'later' }, 'corr-later')
  await until('the message back', () => calls.length === 2, 5_000)
  await bus.cancelConsumers()
  await bus.close()

  t.same(calls.map((c) => c.context.resumes), [false, true])
  t.ok((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0) >= 200 - slackMs, 'after its time on the set-aside queue')
  t.equal(await depthAfterClose(kitchenOrders.queue), 0)
  t.equal(await depth(deadLetterQueueFor(kitchenOrders.queue)), 0)
})

t.test('a consumer that drains hands back a delivery still waiting for a dependency', async (t) => {
  const { topology, connect, depthAfterClose } = await setup(t)
  const { waiterStatus } = topology.queues
  const { bus } = await connect({ maxHoldMs: 60_000 })
  let calls = 0
  await bus.consume(waiterStatus, Greeting, async () => {
    calls += 1
    throw new DependencyUnavailableError('Redis')
  })
  await bus.publish(waiterStatus.routingKey, { greeting: 'handed back' }, 'corr-drain')
  await until('the handler waiting', () => calls >= 2, 5_000)
  const drainedAt = Date.now()
  await bus.cancelConsumers()
  const drainMs = Date.now() - drainedAt
  await bus.close()

  t.comment(`drained in ${drainMs} ms`)
  t.equal(await depthAfterClose(waiterStatus.queue), 1, 'back on its queue for the next consumer')
  t.equal(await depthAfterClose(deadLetterQueueFor(waiterStatus.queue)), 0)
})
