import { rename, rm, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { deadLetterQueueFor, topologyFor } from '@restaurant/contracts/messages'
import { assertCookedOnce } from '../support/crash-run.js'
import { queueDepth } from '../support/isolation.js'
import { metricValue } from '../support/metrics.js'
import { loadCustomer, placeOrders } from '../support/order-client.js'
import { allTickets, openOrders, scoreRun, summary } from '../support/scoring.js'
import { startStack } from '../support/stack.js'
import { viewsCaughtUp } from '../support/views.js'

const OUTAGE_MS = 120_000
const BURST = 300
const DURING = 20
const CANCELLED = 30
// Half a second per grilled chicken, four at a time: the burst takes about 40 s to cook.
const chicken = { items: [{ menuItemId: 'grilled-chicken', quantity: 1 }] }

/** Puts a plain file where the store's folder was: every write of the embedded store fails until repaired. */
async function breakStore(t: Test, dataDir: string) {
  await rename(dataDir, `${dataDir}.away`)
  await writeFile(dataDir, 'the store is out of reach')
  let broken = true
  const repair = async () => {
    if (!broken) return
    await rm(dataDir)
    await rename(`${dataDir}.away`, dataDir)
    broken = false
  }
  t.teardown(repair)
  return repair
}

t.test('the store out of reach for 120 s while orders cook: every order and every cancellation waits for it, none fails, none is dead-lettered', async (t) => {
  // The default hold (10 min) outlasts the outage: held deliveries keep their place, and the cancellations, held
  // too, reach the kitchen before the orders at the back of the queue. (Set-aside is the Redis outage's part.)
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0.05' })
  t.teardown(stack.stop)
  const { gateway, kitchen } = stack
  const deadline = Date.now() + 300_000
  const records = await placeOrders(() => gateway.url, BURST, { concurrency: 20, keyPrefix: 'store-burst', deadlineMs: deadline, body: chicken })
  await sleep(1_000)

  const inFlight = await openOrders(records, kitchen.url)
  const repair = await breakStore(t, stack.run.dataDir)
  const brokenAt = Date.now()
  // The last orders of the burst are still far from their station: each customer cancels, and is told 202.
  const cancels = await Promise.all(
    records.slice(-CANCELLED).map(async ({ id }) => ({ id, status: (await fetch(`${gateway.url}/api/orders/${id}/cancel`, { method: 'POST', headers: loadCustomer })).status })),
  )
  const during = await placeOrders(() => gateway.url, DURING, { concurrency: 2, keyPrefix: 'store-during', deadlineMs: deadline, paceMs: 1_000, body: chicken })
  await sleep(OUTAGE_MS - (Date.now() - brokenAt))
  const waitingAtRepair = (await metricValue(kitchen.internalUrl, 'amqp_deliveries_waiting')) ?? 0
  await repair()
  const repairedAt = Date.now()

  const all = [...records, ...during]
  const score = await scoreRun(all, stack.records, 150_000)
  const drainedMs = Date.now() - repairedAt
  const ids = all.flatMap((record) => (record.id ? [record.id] : []))
  const catchUpMs = await viewsCaughtUp(stack.run.redisPrefix, kitchen.url, ids)
  const statuses = new Map((await allTickets(kitchen.url)).map((order) => [order.id, order.status]))
  const cancelled = new Set(cancels.filter((cancel) => cancel.status === 202).map((cancel) => cancel.id))
  const wrongEnds = ids.filter((id) => statuses.get(id) !== (cancelled.has(id) ? 'cancelled' : 'ready')).map((id) => `${id}: ${statuses.get(id)}`)
  const { kitchenOrders, kitchenCancellations } = topologyFor(stack.run.namespace).queues
  const outcomes = async (name: string) =>
    ((await metricValue(kitchen.internalUrl, 'amqp_deliveries_total', { queue: kitchenOrders.queue, outcome: name })) ?? 0) +
    ((await metricValue(kitchen.internalUrl, 'amqp_deliveries_total', { queue: kitchenCancellations.queue, outcome: name })) ?? 0)
  const [retried, setAside, deadLettered] = [await outcomes('retried'), await outcomes('set_aside'), await outcomes('dead_lettered')]
  t.comment(summary('store outage', score, {
    outageMs: OUTAGE_MS,
    openWhenBroken: JSON.stringify(inFlight),
    cancelledDuringOutage: cancelled.size,
    placedDuringOutage: during.filter((record) => record.id).length,
    deliveriesSetAside: setAside,
    deliveriesWaitingWhenRepaired: waitingAtRepair,
    allEndedMsAfterRepair: drainedMs,
    viewsCaughtUpMs: catchUpMs,
  }))

  t.ok((inFlight.total ?? 0) >= 100, `at least 100 orders between 202 and ready when the store broke (${inFlight.total})`)
  t.equal(cancelled.size, CANCELLED, 'every cancellation was taken (202) while the store was away')
  t.equal(score.accepted, BURST + DURING)
  t.same(score.lost, [])
  t.same(score.unexpected, [])
  assertCookedOnce(t, score)
  t.same(score.conflicting, [])
  t.same(wrongEnds, [], 'every cancelled order ended cancelled, every other one ready: none failed')
  t.equal(deadLettered, 0, 'nothing was dead-lettered')
  t.equal(retried, 0, 'no message spent a retry tier on the outage')
  t.ok(waitingAtRepair > 0, `deliveries were waiting for the store when it came back (${waitingAtRepair})`)
  t.equal(await queueDepth(deadLetterQueueFor(kitchenOrders.queue)), 0)
  t.equal(await queueDepth(deadLetterQueueFor(kitchenCancellations.queue)), 0)
})
