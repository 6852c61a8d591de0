import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { CancelOrderMessage, deadLetterQueueFor, topologyFor, type QueueBinding } from '@restaurant/contracts/messages'
import { buildOrder } from '@restaurant/contracts/testing'
import type { Bus } from '@restaurant/platform/messaging/bus'
import { busOptionsFrom, connectBus, queuePolicyFrom } from '@restaurant/platform/messaging/rabbit-bus'
import { delayQueuesFor } from '@restaurant/platform/messaging/queue-policy'
import { loadConfig, rabbitConfig } from '@restaurant/platform/runtime/config'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { eventually, isolatedRun } from '../support/isolation.js'
import { startRabbitCluster, type RabbitCluster } from '../support/rabbit-cluster.js'

t.setTimeout(600_000)

type LogLine = { msg: string } & Record<string, unknown>

/**
 * A bus on a namespace of its own, given the cluster's members as its AMQP_URL list through the services'
 * settings, its log lines kept; closed and its queues removed at teardown.
 */
async function connectToCluster(t: Test, cluster: RabbitCluster) {
  const config = loadConfig(rabbitConfig, { AMQP_URL: cluster.amqpUrl, AMQP_HEARTBEAT_SECONDS: '2', AMQP_RETRY_DELAYS_MS: '100,1000' })
  const run = await isolatedRun(queuePolicyFrom(config), { amqpUrls: cluster.urls })
  const lines: LogLine[] = []
  const log = createLogger({ name: 'bus', level: 'info', pretty: false, destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } })
  const topology = topologyFor(run.namespace)
  const connectionName = `${run.namespace} bus`
  const bus = await connectBus(busOptionsFrom(config, { topology, log, connectionName }))
  t.teardown(async () => {
    await bus.close()
    await run.cleanUp()
  })
  return { bus, connectionName, topology, config, lines, namespace: run.namespace }
}

/** Publishes order statuses until told to stop, each retried until the broker confirms it. */
function keepPublishing(bus: Bus, routingKey: Parameters<Bus['publish']>[0]) {
  const confirmed: Array<{ id: string; at: number }> = []
  const refusedAt: number[] = []
  let publishing = true
  const publishOne = async (id: string) => {
    const order = buildOrder({ id })
    for (;;) {
      try {
        await bus.publish(routingKey, { order }, id)
        return confirmed.push({ id, at: Date.now() })
      } catch {
        refusedAt.push(Date.now())
        await sleep(20)
      }
    }
  }
  // Ten publishers at a time: one alone waits on each confirm, and a quorum queue confirms once a majority wrote it.
  const done = Promise.all(Array.from({ length: 10 }, async () => {
    while (publishing) await publishOne(buildOrder().id)
  }))
  return { confirmed, refusedAt, stop: async () => void ((publishing = false), await done) }
}

/** Counts every delivery of each order, by id. */
async function countDeliveries(bus: Bus, binding: QueueBinding) {
  const deliveries = new Map<string, number>()
  await bus.consume(binding, CancelOrderMessage, async ({ order }) => void deliveries.set(order.id, (deliveries.get(order.id) ?? 0) + 1))
  return deliveries
}

const cluster = await startRabbitCluster(t)

t.test('every quorum queue of the topology has a replica on each of the three members', async (t) => {
  const { namespace, topology, config } = await connectToCluster(t, cluster)
  const expected = Object.values(topology.queues).flatMap(({ queue }) => [queue, deadLetterQueueFor(queue), ...delayQueuesFor(queue, queuePolicyFrom(config)).map(({ name }) => name)])
  const members = await cluster.quorumMembers(`${namespace}.`)
  t.same([...members.keys()].sort(), expected.sort(), 'every queue the topology declares is a quorum queue')
  t.same([...new Set(members.values())], [3], 'each with three members')
})

t.test('when the member the bus is connected to stops, publishing and consuming carry on through another, nothing lost', async (t) => {
  const { bus, connectionName, topology, lines } = await connectToCluster(t, cluster)
  // A key one queue alone takes (status changes reach the partner events' queue too, which nobody consumes here).
  const { kitchenCancellations: watched } = topology.queues
  const deliveries = await countDeliveries(bus, watched)
  const publisher = keepPublishing(bus, watched.routingKey)
  await eventually(async () => (publisher.confirmed.length >= 1_000 ? true : undefined), 30_000, '1,000 confirmed publishes')
  const stopped = await cluster.memberServing(connectionName)
  const ledQueue = (await cluster.leaderOf(watched.queue)) === stopped
  const stoppedAt = Date.now()
  await cluster.stopMember(stopped)
  const confirmedAtStop = publisher.confirmed.length
  await eventually(async () => (publisher.confirmed.length >= confirmedAtStop + 1_000 ? true : undefined), 60_000, '1,000 more confirmed publishes')
  await publisher.stop()
  const confirmedIds = publisher.confirmed.map(({ id }) => id)
  await eventually(async () => (confirmedIds.every((id) => deliveries.has(id)) ? true : undefined), 60_000, 'every confirmed publish to be consumed').catch(() => undefined)
  const firstRefusal = publisher.refusedAt[0] ?? NaN
  const backAt = publisher.confirmed.find(({ at }) => at > firstRefusal)?.at ?? NaN
  const lost = confirmedIds.filter((id) => !deliveries.has(id))
  const redelivered = [...deliveries.values()].filter((count) => count > 1).length
  t.comment(`member ${stopped} stopped (it led the queue: ${ledQueue}); publishing refused for ${backAt - firstRefusal} ms, confirmed again ${backAt - stoppedAt} ms after the stop began`)
  t.comment(`${confirmedIds.length} confirmed, ${deliveries.size} consumed, ${lost.length} lost, ${redelivered} delivered more than once, ${publisher.refusedAt.length} refusals retried`)
  t.ok(publisher.refusedAt.length > 0, 'the publisher met the loss')
  t.same(lost, [], 'every confirmed message was consumed')
  t.not(await cluster.memberServing(connectionName), stopped, 'the bus is on another member now')
  t.equal(lines.filter(({ msg }) => msg === 'lost the connection to RabbitMQ; reconnecting').length, 1, 'the loss was logged once')
  await cluster.startMember(stopped)
})

t.test('a bus whose first listed member is down connects through the next, and says which', async (t) => {
  await cluster.stopMember(1)
  const { bus, connectionName, topology, lines } = await connectToCluster(t, cluster)
  t.equal(await cluster.memberServing(connectionName), 2)
  t.match(lines.find(({ msg }) => msg === 'connected to RabbitMQ'), { member: 'amqp://guest:***@127.0.0.1:5682', refusedBy: ['amqp://guest:***@127.0.0.1:5681'] })
  await bus.publish(topology.queues.waiterStatus.routingKey, { order: buildOrder() }, 'through member 2')
  t.pass('a publish through member 2 is confirmed')
  await cluster.startMember(1)
})
