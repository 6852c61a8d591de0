import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { deadLetterQueueFor, topologyFor } from '@restaurant/contracts/messages'
import { assertCookedOnce } from '../support/crash-run.js'
import { customer, signedGet } from '../support/credentials.js'
import { queueDepth } from '../support/isolation.js'
import { redisServerKeepingData, stopDuringTest } from '../support/machine-services.js'
import { metricValue } from '../support/metrics.js'
import { loadCustomer, placeOrders, type OrderRecord } from '../support/order-client.js'
import { openOrders, scoreRun, summary } from '../support/scoring.js'
import { viewsCaughtUp } from '../support/views.js'
import { readEventStream } from '../support/sse-client.js'
import { startStack } from '../support/stack.js'

const OUTAGE_MS = 120_000
const BURST = 300
const DURING = 40
const FOLLOWED = 100
// Half a second per grilled chicken, four at a time: the burst takes about 40 s to cook.
const chicken = { items: [{ menuItemId: 'grilled-chicken', quantity: 1 }] }

/** Reads orders as clients would while the load runs; records the slowest answer and any 5xx. */
function readWhile(url: string, records: OrderRecord[], running: () => boolean) {
  const stats = { reads: 0, slowestMs: 0, serverErrors: 0 }
  const done = (async () => {
    while (running()) {
      const id = records[Math.floor(Math.random() * records.length)]?.id
      if (id) {
        const started = Date.now()
        const response = await fetch(`${url}/api/orders/${id}`, { headers: loadCustomer, signal: AbortSignal.timeout(5_000) })
        stats.slowestMs = Math.max(stats.slowestMs, Date.now() - started)
        stats.reads += 1
        if (response.status >= 500) stats.serverErrors += 1
      }
      await sleep(50)
    }
  })()
  return { stats, done }
}

t.test('Redis stopped for 120 s with its data kept while orders cook, two waiters: nothing waits on it, no status is dead-lettered, views and streams catch up', async (t) => {
  // Deliveries may be held 30 s here, so that a 120 s outage also sends status events round the set-aside queue.
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0.05', AMQP_MAX_HOLD_MS: '30000', AMQP_SET_ASIDE_MS: '5000' })
  t.teardown(stack.stop)
  // Two waiters share the status events and each serves its own stream clients: whichever applies an event, all relay it.
  const waiters = [stack.waiter, await stack.addInstance('waiter')]
  const { gateway } = stack
  const pids = waiters.map((waiter) => waiter.child.pid)
  const deadline = Date.now() + 240_000
  const records = await placeOrders(() => gateway.url, BURST, { concurrency: 20, keyPrefix: 'redis-burst', deadlineMs: deadline, body: chicken })
  const followed = records.slice(100, 100 + FOLLOWED).flatMap((record) => (record.id ? [record.id] : []))
  const streams = followed.map((id, i) => {
    // Half through the gateway (to the first waiter), half straight to the second one.
    const direct = `${waiters[1]?.url}/api/orders/${id}/events`
    const [url, headers] = i % 2 === 0 ? [`${gateway.url}/api/orders/${id}/events`, loadCustomer] : [direct, signedGet(customer('load-customer'), direct)]
    return readEventStream(url, headers, { done: (events) => events.some((event) => event.event === 'ready'), timeoutMs: 230_000 })
  })
  await sleep(1_000)

  const inFlight = await openOrders(records, stack.kitchen.url)
  const restart = await stopDuringTest(t, redisServerKeepingData)
  const stoppedAt = Date.now()
  let running = true
  const reader = readWhile(gateway.url, records, () => running)
  const during = await placeOrders(() => gateway.url, DURING, { concurrency: 2, keyPrefix: 'redis-during', deadlineMs: deadline, paceMs: 1_000, body: chicken })
  await sleep(OUTAGE_MS - (Date.now() - stoppedAt))
  running = false
  await reader.done
  await restart()
  const all = [...records, ...during]
  const catchUpMs = await viewsCaughtUp(stack.run.redisPrefix, stack.kitchen.url, all.flatMap((record) => (record.id ? [record.id] : [])))

  const score = await scoreRun(all, stack.records, 30_000)
  const histories = (await Promise.all(streams)).map(({ events }) => events.map((event) => event.event).join(','))
  const incomplete = histories.filter((history) => history !== 'placed,accepted,cooking,ready')
  const statusQueue = topologyFor(stack.run.namespace).queues.waiterStatus.queue
  const outcome = async (name: string) => {
    const counts = await Promise.all(waiters.map(async (waiter) => (await metricValue(waiter.internalUrl, 'amqp_deliveries_total', { queue: statusQueue, outcome: name })) ?? 0))
    return counts.reduce((sum, count) => sum + count, 0)
  }
  const [retried, setAside, deadLettered] = await Promise.all([outcome('retried'), outcome('set_aside'), outcome('dead_lettered')])
  const slowestPostMs = Math.max(...all.map((record) => record.slowestMs))
  t.comment(summary('Redis outage', score, {
    outageMs: OUTAGE_MS,
    openWhenStopped: JSON.stringify(inFlight),
    placedDuringOutage: during.filter((record) => record.id).length,
    viewsCaughtUpMs: catchUpMs,
    streamsFollowed: histories.length,
    statusEventsSetAside: setAside,
    slowestPostMs,
    reads: reader.stats.reads,
    slowestReadMs: reader.stats.slowestMs,
  }))

  t.ok((inFlight.total ?? 0) >= 100, `at least 100 orders between 202 and ready when Redis stopped (${inFlight.total})`)
  t.equal(score.accepted, BURST + DURING, 'every order was accepted, those placed while Redis was away included')
  t.same(score.lost, [])
  t.same(score.unexpected, [])
  assertCookedOnce(t, score)
  t.same(score.conflicting, [])
  t.pass(`every view showed the kitchen's end ${catchUpMs} ms after Redis returned`)
  t.same(incomplete, [], 'every stream client received placed, accepted, cooking and ready, once each, in order')
  t.equal(deadLettered, 0, 'no status event was dead-lettered')
  t.equal(await queueDepth(deadLetterQueueFor(statusQueue)), 0, 'the dead-letter queue is empty')
  t.equal(retried, 0, 'no status event spent a retry tier on the outage')
  t.ok(slowestPostMs < 1_000, `no order request waited on Redis (slowest ${slowestPostMs} ms)`)
  t.ok(reader.stats.slowestMs < 1_000, `no read waited on Redis (slowest ${reader.stats.slowestMs} ms)`)
  t.equal(reader.stats.serverErrors, 0, "reads fell back to the kitchen's record")
  t.same(waiters.map((waiter) => waiter.child.pid), pids, 'neither waiter was restarted')
})
