import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import type { Order } from '@restaurant/shared'
import { eventually } from '../support/isolation.js'
import { redisServer, stopDuringTest } from '../support/machine-services.js'
import { loadCustomer, placeOrders, type OrderRecord } from '../support/order-client.js'
import { scoreRun, summary } from '../support/scoring.js'
import { startStack } from '../support/stack.js'

const OUTAGE_MS = 30_000

/** Reads orders as clients would while the load runs; records the slowest answer and any 5xx. */
function readWhile(url: () => string, records: OrderRecord[], running: () => boolean) {
  const stats = { reads: 0, slowestMs: 0, serverErrors: 0 }
  const done = (async () => {
    while (running()) {
      const placed = records.filter((record) => record.id)
      const id = placed[Math.floor(Math.random() * placed.length)]?.id
      if (id) {
        const started = Date.now()
        const response = await fetch(`${url()}/api/orders/${id}`, { headers: loadCustomer, signal: AbortSignal.timeout(5_000) })
        stats.slowestMs = Math.max(stats.slowestMs, Date.now() - started)
        stats.reads += 1
        if (response.status >= 500) stats.serverErrors += 1
      }
      await sleep(50)
    }
  })()
  return { stats, done }
}

t.test('Redis stopped for 30 s under load: no request hangs, no order lost, recovery without a restart', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0', AMQP_RETRY_DELAYS_MS: '1000,10000,40000' })
  t.teardown(stack.stop)
  const waiterPid = stack.waiter.child.pid
  const records: OrderRecord[] = []
  let running = true
  const load = placeOrders(() => stack.gateway.url, 1_500, {
    concurrency: 8,
    keyPrefix: 'redis-outage',
    deadlineMs: Date.now() + 180_000,
    paceMs: 150,
    onSettled: (record) => records.push(record),
  })
  const reader = readWhile(() => stack.gateway.url, records, () => running)
  await sleep(3_000)
  const restart = await stopDuringTest(t, redisServer)
  await sleep(OUTAGE_MS)
  await restart()
  await load
  running = false
  await reader.done

  const score = await scoreRun(records, () => stack.kitchen.url, () => stack.outputs('kitchen'), 90_000)
  const slowestWrite = Math.max(...records.map((record) => record.slowestMs))
  t.comment(summary('Redis outage', score, { outageMs: OUTAGE_MS, slowestPostMs: slowestWrite, reads: reader.stats.reads, slowestReadMs: reader.stats.slowestMs }))
  t.ok(slowestWrite < 1_000, `no order request waited on Redis (slowest ${slowestWrite} ms)`)
  t.ok(reader.stats.slowestMs < 1_000, `no read waited on Redis (slowest ${reader.stats.slowestMs} ms)`)
  t.equal(reader.stats.serverErrors, 0, "reads fell back to the kitchen's record")
  t.equal(score.accepted, 1_500)
  t.same(score.lost, [])
  t.same(score.unexpected, [])
  t.same(score.cookedTwice, [])
  t.equal(stack.waiter.child.pid, waiterPid, 'the waiter was not restarted')

  // Status events parked during the outage come back through the retry tiers: every view ends ready.
  const views = await eventually(async () => {
    const statuses = await Promise.all(
      records.map(async (record) => ((await (await fetch(`${stack.gateway.url}/api/orders/${record.id}`, { headers: loadCustomer })).json()) as Order).status),
    )
    return statuses.every((status) => status === 'ready') ? statuses : undefined
  }, 90_000, 'every view to show ready')
  t.equal(views.length, 1_500, 'the order views caught up by themselves')
})
