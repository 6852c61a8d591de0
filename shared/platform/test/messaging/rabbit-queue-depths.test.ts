import t from 'tap'
import { deadLetterQueueFor, routingKeys } from '@restaurant/contracts/messages'
import { createBusMetrics, createMetricsRegistry } from '../../src/runtime/metrics.js'
import { DependencyUnavailableError } from '../../src/runtime/errors.js'
import { retryQueueFor, setAsideQueueFor } from '../../src/messaging/queue-policy.js'
import { Greeting, until } from './bus-harness.js'
import { setup } from './rabbit-harness.js'

/** The samples of one metric, as `label=value,…` → value. */
async function samples(registry: ReturnType<typeof createMetricsRegistry>, name: string): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric(name)?.get()
  return Object.fromEntries(
    (metric?.values ?? []).map(({ labels, value }) => [
      Object.entries(labels)
        .filter(([key]) => key !== 'service')
        .map(([key, label]) => `${key}=${label}`)
        .join(','),
      value,
    ]),
  )
}

t.test('the bus counts deliveries by outcome and reads the depths of its work queues, retry tiers, set-aside queues and dead letters, not of its own queues', async (t) => {
  const { topology, connect, depth, publishRaw } = await setup(t)
  const { waiterStatus } = topology.queues
  const registry = createMetricsRegistry('test')
  // A retry tier long enough that the failed message is still waiting in it when the gauge is read.
  const { bus } = await connect({ retryDelaysMs: [60_000], maxHoldMs: 1_000, setAsideMs: 60_000, metrics: createBusMetrics(registry) })
  await bus.consume(waiterStatus, Greeting, async (message) => {
    if (message.greeting === 'fails') throw new Error('fails')
    if (message.greeting === 'waits') throw new DependencyUnavailableError('Redis')
  })
  // A broadcast subscription's queue is the instance's own: no work waits in it, and its name changes on every connection.
  await bus.subscribe(routingKeys.menuChanged, Greeting, async () => undefined)

  await bus.publish(waiterStatus.routingKey, { greeting: 'fine' }, 'corr-1')
  await bus.publish(waiterStatus.routingKey, { greeting: 'fails' }, 'corr-2')
  await bus.publish(waiterStatus.routingKey, { greeting: 'waits' }, 'corr-3')
  await publishRaw(waiterStatus.routingKey, Buffer.from('not json'))
  const retry = retryQueueFor(waiterStatus.queue, 60_000)
  const setAside = setAsideQueueFor(waiterStatus.queue, 60_000)
  const dead = deadLetterQueueFor(waiterStatus.queue)
  const depths = async () => [await depth(retry), await depth(setAside), await depth(dead)].join()
  await until('a parked, a set-aside and a dead-lettered message', async () => (await depths()) === '1,1,1', 5_000)

  const queue = waiterStatus.queue
  t.same(await samples(registry, 'amqp_deliveries_total'), {
    [`queue=${queue},outcome=acked`]: 1,
    [`queue=${queue},outcome=retried`]: 1,
    [`queue=${queue},outcome=set_aside`]: 1,
    [`queue=${queue},outcome=malformed`]: 1,
  })
  t.same(await samples(registry, 'amqp_deliveries_waiting'), { [`queue=${queue}`]: 0 }, 'none waits any more')
  t.same(await samples(registry, 'amqp_queue_messages'), {
    [`queue=${queue},role=work`]: 0,
    [`queue=${retry},role=retry`]: 1,
    [`queue=${setAside},role=set_aside`]: 1,
    [`queue=${dead},role=dead_letter`]: 1,
  })
  const text = await registry.metrics()
  t.match(text, /amqp_publish_confirm_seconds_count\{[^}]*routing_key="[^"]+"[^}]*\} 3/, 'every publish timed to its confirm')
})
