import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { deadLetterQueueFor } from '@restaurant/contracts/messages'
import type { MessageContext } from '../../src/messaging/bus.js'
import { retryQueueFor } from '../../src/messaging/queue-policy.js'
import { HandBackError } from '../../src/runtime/errors.js'
import { Greeting, recordDeliveries, until, type Delivery, type HarnessFor } from './bus-harness.js'

// Timers and the broker's TTL may each be a few milliseconds early or late; only lower bounds are asserted.
export const slackMs = 20

/** How deliveries fail, retry and die (delivery.ts), as every Bus keeps it; run against RabbitMQ and the memory bus. */
export function deliveryContract(harnessFor: HarnessFor): void {
  t.test('a malformed message (not JSON, or JSON of the wrong shape) is dead-lettered without blocking the queue', async (t) => {
    const { topology, connect, depth, publishRaw, takeDeadLetters, logged, losses } = await harnessFor(t)
    const { waiterStatus } = topology.queues
    const bus = await connect({ prefetch: 1 })
    const received: Delivery[] = []
    await bus.consume(waiterStatus, Greeting, async (message, context) => void received.push({ message, context, at: Date.now() }))

    const garbage = Buffer.from([0xff, 0x00, 0x7b, 0x6e, 0x6f, 0x74])
    const wrongShape = Buffer.from(JSON.stringify({ greeting: 42 }))
    await publishRaw(waiterStatus.routingKey, garbage)
    await publishRaw(waiterStatus.routingKey, wrongShape)
    await bus.publish(waiterStatus.routingKey, { greeting: 'after the bad ones' }, 'corr-4')

    await until('the good message', () => received.length === 1)
    t.same(received[0]?.message, { greeting: 'after the bad ones' })
    await until('two dead-lettered messages', async () => (await depth(deadLetterQueueFor(waiterStatus.queue))) === 2)
    const deadLettered = await takeDeadLetters(waiterStatus.queue)
    t.same(deadLettered.map((m) => m.content.toString('hex')).sort(), [garbage, wrongShape].map((b) => b.toString('hex')).sort())
    t.same(deadLettered.map((m) => m.reason), ['rejected', 'rejected'])
    t.equal(received.length, 1, 'the handler never saw the malformed ones')
    t.equal(logged('malformed message dead-lettered'), 2)
    t.equal(losses(), 0, 'the connection was never lost')
  })

  t.test('a message whose handler always throws goes through every retry tier and is then dead-lettered', async (t) => {
    const { topology, connect, depth, takeDeadLetters, logged, losses } = await harnessFor(t)
    const { waiterStatus } = topology.queues
    const bus = await connect({ retryDelaysMs: [20, 40] })
    let attempts = 0
    await bus.consume(waiterStatus, Greeting, async () => {
      attempts += 1
      throw new Error('always fails')
    })

    await bus.publish(waiterStatus.routingKey, { greeting: 'poison' }, 'corr-5')
    await until('the dead-lettered message', async () => (await depth(deadLetterQueueFor(waiterStatus.queue))) === 1, 10_000)
    await sleep(300)

    t.equal(attempts, 3, 'the first attempt and one per tier, none after it was dead-lettered')
    t.equal(await depth(waiterStatus.queue), 0)
    const [deadLettered, ...more] = await takeDeadLetters(waiterStatus.queue)
    t.equal(more.length, 0, 'dead-lettered once')
    t.same(JSON.parse(String(deadLettered?.content)), { greeting: 'poison' })
    t.equal(deadLettered?.correlationId, 'corr-5')
    t.equal(deadLettered?.headers['x-retries'], 2)
    t.equal(deadLettered?.reason, 'rejected', 'rejected from its own queue at the end')
    t.equal(logged('message failed through every retry; dead-lettered'), 1)
    t.equal(losses(), 0, 'the connection was never lost')
  })

  t.test('a failing message waits in each retry tier in turn, then is dead-lettered and reported once', async (t) => {
    const { topology, connect, depth, takeDeadLetters, losses } = await harnessFor(t)
    const { waiterStatus } = topology.queues
    const retryDelaysMs = [100, 300]
    const bus = await connect({ retryDelaysMs })
    const givenUp: Array<{ message: unknown; context: MessageContext; err: unknown }> = []
    const onGiveUp = async (message: unknown, context: MessageContext, err: unknown) => void givenUp.push({ message, context, err })
    const calls = await recordDeliveries(bus, waiterStatus, (count) => {
      throw new Error(`attempt ${count} fails`)
    }, { onGiveUp })

    await bus.publish(waiterStatus.routingKey, { greeting: 'doomed' }, 'corr-tiers')
    await until('the dead-lettered message', async () => (await depth(deadLetterQueueFor(waiterStatus.queue))) === 1, 10_000)
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
    t.same((await takeDeadLetters(waiterStatus.queue)).map((m) => JSON.parse(String(m.content))), [{ greeting: 'doomed' }])
    t.equal(await depth(waiterStatus.queue), 0)
    for (const delayMs of retryDelaysMs) t.equal(await depth(retryQueueFor(waiterStatus.queue, delayMs)), 0, `the ${delayMs} ms tier is empty`)
    t.equal(losses(), 0, 'the connection was never lost')
  })

  t.test('a message that fails once then succeeds is handled after its first tier and not dead-lettered', async (t) => {
    const { topology, connect, depth, depthAfterClose, losses } = await harnessFor(t)
    const { waiterStatus } = topology.queues
    const retryDelaysMs = [200, 5_000]
    const bus = await connect({ retryDelaysMs })
    let givenUp = 0
    const calls = await recordDeliveries(bus, waiterStatus, (count) => {
      if (count === 1) throw new Error('the first attempt fails')
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
    const { topology, connect, depthAfterClose, losses } = await harnessFor(t)
    const { waiterStatus } = topology.queues
    // One delivery in flight at a time: a failing message that held its slot while it waited would stall the rest.
    const bus = await connect({ prefetch: 1, retryDelaysMs: [3_000] })
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

  t.test('a message handed back every time is dead-lettered once its queue\'s delivery limit is spent', async (t) => {
    const { topology, connect, depth, takeDeadLetters } = await harnessFor(t)
    const { kitchenOrders } = topology.queues
    const bus = await connect({ deliveryLimit: 2 })
    const calls = await recordDeliveries(bus, kitchenOrders, () => {
      throw new HandBackError('not mine')
    })

    await bus.publish(kitchenOrders.routingKey, { greeting: 'nobody wants me' }, 'corr-limit')
    await until('the dead letter', async () => (await depth(deadLetterQueueFor(kitchenOrders.queue))) === 1, 10_000)
    await sleep(200)

    t.equal(calls.length, 3, 'delivered once, then once per requeue the limit allows')
    t.same(calls.map((c) => c.context.resumes), [false, true, true], 'each redelivery resumes')
    t.same((await takeDeadLetters(kitchenOrders.queue)).map((m) => m.reason), ['delivery_limit'])
    t.equal(await depth(kitchenOrders.queue), 0)
  })
}
