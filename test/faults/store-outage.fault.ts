import { rename, rm, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { placeOrders } from '../support/order-client.js'
import { allTickets, scoreRun, summary } from '../support/scoring.js'
import { startStack } from '../support/stack.js'

const OUTAGE_MS = 30_000
const TIERS = [1_000, 10_000, 40_000]

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

t.test('the store out of reach for 30 s: retries follow the tiers, nothing hot-loops, everything completes after', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0', AMQP_RETRY_DELAYS_MS: TIERS.join(',') })
  t.teardown(stack.stop)
  const load = placeOrders(() => stack.gateway.url, 600, { concurrency: 6, keyPrefix: 'store-outage', deadlineMs: Date.now() + 120_000, paceMs: 200 })
  await sleep(3_000)
  const repair = await breakStore(t, stack.run.dataDir)
  await sleep(OUTAGE_MS)
  await repair()
  const records = await load
  const score = await scoreRun(records, () => stack.kitchen.url, () => stack.outputs('kitchen'), 90_000)

  const retries = stack
    .outputs('kitchen')
    .split('\n')
    .filter((line) => line.includes('retrying later'))
    .map((line) => JSON.parse(line) as { reqId: string; retries: number; delayMs: number })
  const perMessage = new Map<string, number>()
  for (const retry of retries) perMessage.set(retry.reqId, (perMessage.get(retry.reqId) ?? 0) + 1)
  const mostRetries = Math.max(0, ...perMessage.values())
  t.comment(summary('store outage', score, { outageMs: OUTAGE_MS, retriesLogged: retries.length, mostRetriesOfOneMessage: mostRetries }))
  t.ok(retries.length > 0, 'orders met the outage')
  t.ok(retries.every(({ retries: n, delayMs }) => delayMs === TIERS[n - 1]), 'each retry waited in the tier of its attempt')
  t.ok(mostRetries <= TIERS.length, 'no message was retried more often than there are tiers')
  t.equal(score.accepted, 600)
  t.same(score.lost, [])
  t.same(score.unexpected, [])
  t.same(score.cookedTwice, [])
  const statuses = new Set((await allTickets(stack.kitchen.url)).map((order) => order.status))
  t.same([...statuses], ['ready'], 'every order completed: none failed, none stuck')
})
