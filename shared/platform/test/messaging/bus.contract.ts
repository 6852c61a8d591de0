import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { gate, Greeting, until, within, type Delivery, type HarnessFor } from './bus-harness.js'

/** Publishing, acking and draining, as every Bus keeps them (bus.ts); run against RabbitMQ and the memory bus. */
export function busContract(harnessFor: HarnessFor): void {
  t.test("a published message is confirmed and delivered once to the bound queue's consumer, with its correlation id", async (t) => {
    const { topology, connect, depth, depthAfterClose, losses } = await harnessFor(t)
    const { waiterStatus, kitchenOrders } = topology.queues
    const bus = await connect()
    const received: Delivery[] = []
    await bus.consume(waiterStatus, Greeting, async (message, context) => void received.push({ message, context, at: Date.now() }))

    await within(5_000, 'the publisher confirm', bus.publish(waiterStatus.routingKey, { greeting: 'hello' }, 'corr-1'))
    await until('the delivery', () => received.length === 1)
    await sleep(200)

    t.equal(received.length, 1, 'delivered once')
    t.same(received[0]?.message, { greeting: 'hello' })
    t.equal(received[0]?.context.correlationId, 'corr-1')
    t.equal(received[0]?.context.resumes, false, 'a first delivery')
    t.equal(await depth(kitchenOrders.queue), 0, 'no other queue got it')
    await bus.cancelConsumers()
    await bus.close()
    t.equal(await depthAfterClose(waiterStatus.queue), 0, 'acked: nothing returned to the queue when the bus closed')
    t.equal(losses(), 0, 'the connection was never lost')
  })

  t.test('publishing with a routing key no queue is bound to is refused, not dropped', async (t) => {
    const { topology, connect, depth, unbind, losses } = await harnessFor(t)
    const { waiterStatus, kitchenOrders, waiterPartnerEvents } = topology.queues
    const bus = await connect()
    await unbind(waiterStatus)
    // The partner events' queue takes status changes too.
    await unbind({ queue: waiterPartnerEvents.queue, routingKey: waiterStatus.routingKey })

    await t.rejects(
      within(5_000, 'the refusal', bus.publish(waiterStatus.routingKey, { greeting: 'nobody listens' }, 'corr-6')),
      { code: 'UNROUTABLE_MESSAGE' },
    )
    await within(5_000, 'the confirm', bus.publish(kitchenOrders.routingKey, { greeting: 'somebody listens' }, 'corr-7'))
    t.equal(await depth(kitchenOrders.queue), 1, 'a routable publish on the same bus still lands')
    t.equal(await depth(waiterStatus.queue), 0)
    t.equal(losses(), 0, 'the connection was never lost')
  })

  t.test('a closed bus refuses to publish and says it is not connected', async (t) => {
    const { topology, connect, depth } = await harnessFor(t)
    const { kitchenOrders } = topology.queues
    const bus = await connect()
    await bus.close()

    await t.rejects(bus.publish(kitchenOrders.routingKey, { greeting: 'too late' }, 'corr-closed'), { code: 'BROKER_UNAVAILABLE' })
    t.throws(() => bus.assertConnected())
    t.equal(await depth(kitchenOrders.queue), 0)
  })

  t.test('cancelConsumers waits for in-flight handlers to finish and ack', async (t) => {
    const { topology, connect, depthAfterClose, losses } = await harnessFor(t)
    const { waiterStatus } = topology.queues
    const bus = await connect()
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

  t.test('a delivery from a lost connection is not acked on the new one: it is redelivered, and its channel-closed signal aborts', async (t) => {
    const { topology, connect, depth, depthAfterClose, takeDeadLetters, loseConnection, logged, losses } = await harnessFor(t)
    const { waiterStatus } = topology.queues
    const bus = await connect()
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
    t.equal(await depth(waiterStatus.queue), 0, 'acked only after its handler: not ready for anyone else meanwhile')

    await loseConnection(bus)
    await until('the redelivery on the new connection', () => deliveries.length === 2, 10_000)
    t.equal(deliveries[0]?.context.channelClosed.aborted, true, 'the stale delivery was told its channel closed')
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
    t.same(await takeDeadLetters(waiterStatus.queue), [])
  })
}
