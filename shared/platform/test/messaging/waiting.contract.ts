import t from 'tap'
import { deadLetterQueueFor, type QueueBinding } from '@restaurant/contracts/messages'
import type { Bus } from '../../src/messaging/bus.js'
import { retryQueueFor, setAsideQueueFor } from '../../src/messaging/queue-policy.js'
import { DependencyUnavailableError, SetAsideError } from '../../src/runtime/errors.js'
import { Greeting, recordDeliveries, until, type Delivery, type HarnessFor } from './bus-harness.js'
import { slackMs } from './delivery.contract.js'

/**
 * Consumes with a handler whose dependency is away for `awayMs`, publishes one message, and returns every
 * attempt once the message has been handled after the dependency came back; the bus is closed by then.
 */
async function handledThroughAnOutage(bus: Bus, binding: QueueBinding, awayMs: number): Promise<Delivery[]> {
  const backAt = Date.now() + awayMs
  const calls = await recordDeliveries(bus, binding, () => {
    if (Date.now() < backAt) throw new DependencyUnavailableError('the store')
  })
  await bus.publish(binding.routingKey, { greeting: 'patient' }, 'corr-outage')
  await until('the message handled once the dependency is back', () => (calls.at(-1)?.at ?? 0) >= backAt, 10_000)
  await bus.cancelConsumers()
  await bus.close()
  return calls
}

/** Waiting is not failing (delivery.ts): held, set aside, handed back; as every Bus keeps it. */
export function waitingContract(harnessFor: HarnessFor): void {
  t.test('a message whose handler needs a dependency that is away waits for it, then is handled: no retry tier, no dead letter', async (t) => {
    const { topology, connect, depth, depthAfterClose, logged, losses } = await harnessFor(t)
    const { waiterStatus } = topology.queues
    const bus = await connect({ retryDelaysMs: [50], maxHoldMs: 10_000 })
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
    const { topology, connect, depth, depthAfterClose } = await harnessFor(t)
    const { waiterStatus } = topology.queues
    const bus = await connect({ retryDelaysMs: [50], maxHoldMs: 400, setAsideMs: 300 })
    const calls = await handledThroughAnOutage(bus, waiterStatus, 1_200)

    const gaps = calls.slice(1).map((call, i) => call.at - (calls[i]?.at ?? 0))
    t.ok(gaps.some((gap) => gap >= 300 - slackMs), `it waited on the set-aside queue at least once (gaps ${gaps.join(', ')} ms)`)
    t.equal(await depthAfterClose(waiterStatus.queue), 0)
    t.equal(await depth(setAsideQueueFor(waiterStatus.queue, 300)), 0)
    t.equal(await depth(deadLetterQueueFor(waiterStatus.queue)), 0, 'waiting never dead-letters')
    t.equal(await depth(retryQueueFor(waiterStatus.queue, 50)), 0, 'nor spends a retry tier')
  })

  t.test('a handler can set its message aside: it comes back later as a resumption', async (t) => {
    const { topology, connect, depth, depthAfterClose } = await harnessFor(t)
    const { kitchenOrders } = topology.queues
    const bus = await connect({ setAsideMs: 200 })
    const calls = await recordDeliveries(bus, kitchenOrders, (count) => {
      if (count === 1) throw new SetAsideError('its station is busy for an hour')
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
    const { topology, connect, depthAfterClose } = await harnessFor(t)
    const { waiterStatus } = topology.queues
    const bus = await connect({ maxHoldMs: 60_000 })
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
}
