import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { topologyFor } from '@restaurant/contracts/messages'
import { assertEveryOrderOnce } from '../support/crash-run.js'
import { placeOrder, placeOrders, type OrderRecord } from '../support/order-client.js'
import { startRabbitCluster, type RabbitCluster } from '../support/rabbit-cluster.js'
import { allTickets, openOrders, scoreRun, summary } from '../support/scoring.js'
import { startStack, type Stack } from '../support/stack.js'
import { statusesOf, followEveryOrder, ordersMissedBy, type StreamFollower } from '../support/stream-followers.js'

const FOLLOWERS = 4
// The orders of a burger alone, of fries and a lemonade, or of a salad: at a quarter of the menu's times each
// takes one to two seconds to cook, and three kitchens cook about twenty a second.
const dishes = [
  { items: [{ menuItemId: 'classic-burger', quantity: 1 }] },
  { items: [{ menuItemId: 'fries', quantity: 1 }, { menuItemId: 'lemonade', quantity: 1 }] },
  { items: [{ menuItemId: 'caesar-salad', quantity: 1 }] },
]
const settings = { KITCHEN_SPEED_FACTOR: '0.25', KITCHEN_LEASE_MS: '3000', AMQP_SET_ASIDE_MS: '1000', AMQP_HEARTBEAT_SECONDS: '2' }
/**
 * FerretDB 1.24 reads every document of a collection for each lookup (see shared-store.fault.ts), so on it a
 * smaller run paced over the faults (about ten orders a second), each kitchen holding fewer orders at once so that
 * it answers within the lease.
 */
const runOf = (store: 'sqlite' | 'mongo') =>
  store === 'sqlite'
    ? { orders: 2_000, paceMs: 400, settings }
    : { orders: 400, paceMs: 4_000, settings: { ...settings, KITCHEN_LEASE_MS: '4000', AMQP_PREFETCH: '15' } }

t.setTimeout(900_000)

/** Clients spread over the gateways: each attempt goes to the next one, as a client behind a load balancer would. */
function spreadOver(stack: Stack) {
  let next = 0
  return () => (stack.gateways[next++ % stack.gateways.length] as Stack['gateway']).url
}

/**
 * Stops the broker member that leads the orders queue and places an order as a client would (retrying with its
 * key): resolves with how long intake took to answer 202 again (to within the client's pause, at most 1 s).
 */
async function stopOrdersLeader(cluster: RabbitCluster, stack: Stack, gatewayUrl: () => string) {
  const queue = topologyFor(stack.run.namespace).queues.kitchenOrders.queue
  const leader = await cluster.leaderOf(queue)
  const stoppedAt = Date.now()
  await cluster.stopMember(leader)
  const probe = await placeOrder(gatewayUrl, `${stack.run.namespace}-probe`, Date.now() + 60_000, dishes[0])
  return { leader, intakeBackMs: Date.now() - stoppedAt, probe }
}

async function ordersThroughClusterFaults(t: Test, store: 'sqlite' | 'mongo') {
  const cluster = await startRabbitCluster(t)
  const { orders, paceMs, settings } = runOf(store)
  const stack = await startStack(settings, { kitchens: 3, waiters: 2, gateways: 2, store, amqpUrls: cluster.urls })
  t.teardown(stack.stop)
  const members = await cluster.quorumMembers(stack.run.namespace)
  t.ok(members.size > 0 && [...members.values()].every((count) => count === 3), `every quorum queue has three members before any fault (${[...members.values()].join(', ')})`)
  const followers: StreamFollower[] = Array.from({ length: FOLLOWERS }, (_, i) => followEveryOrder(() => stack.gateways.map((gateway) => gateway.url), i))
  t.teardown(() => Promise.all(followers.map((follower) => follower.stop())))
  // The boards are open before the first order, as the stream of every order starts from when it opens.
  await Promise.all(followers.map((follower) => follower.opened))
  const gatewayUrl = spreadOver(stack)
  const started = Date.now()
  const settled: OrderRecord[] = []
  const load = placeOrders(gatewayUrl, orders, { concurrency: 40, keyPrefix: `cluster-${store}`, deadlineMs: started + 300_000, paceMs, onSettled: (record) => settled.push(record), bodyOf: (n) => dishes[n % dishes.length] ?? {} })
  const at = async (ms: number, fault: string) => {
    await sleep(started + ms - Date.now())
    t.comment(`${fault} at ${ms} ms; open orders ${JSON.stringify(await openOrders(settled, stack.records.kitchenUrl()))}`)
  }
  await at(8_000, 'kitchen 2 SIGKILLed')
  await stack.crash('kitchen', 1)
  await at(14_000, 'waiter 2 SIGKILLed')
  await stack.crash('waiter', 1)
  await at(20_000, 'gateway 2 SIGKILLed')
  await stack.crash('gateway', 1)
  await at(26_000, "the orders queue's leader stopped")
  const stop = await stopOrdersLeader(cluster, stack, gatewayUrl)
  await sleep(10_000)
  await cluster.startMember(stop.leader)
  const records = [...(await load), stop.probe]
  const score = await scoreRun(records, stack.records, 180_000)
  return { stack, records, score, followers, stop, runMs: Date.now() - started }
}

for (const store of ['sqlite', 'mongo'] as const) {
  const skip = store === 'mongo' && !process.env.MONGO_URL ? 'MONGO_URL is not set: there is no MongoDB-compatible server (CI runs FerretDB) to share' : false
  t.test(`2 gateways, 2 waiters and 3 kitchens on a 3-node broker and one ${store} store, ${runOf(store).orders} orders through the loss of one of each and of the orders queue's leader`, { skip }, async (t) => {
    const { stack, records, score, followers, stop, runMs } = await ordersThroughClusterFaults(t, store)
    const expected = statusesOf(await allTickets(stack.records.kitchenUrl()))
    await Promise.all(followers.map((follower) => follower.stop()))
    const missed = followers.map((follower) => ordersMissedBy(follower, expected))
    t.comment(summary(`cluster on ${store}`, score, { runMs, orders: records.length }))
    t.comment(`intake answered 202 again ${stop.intakeBackMs} ms after member ${stop.leader} (the orders queue's leader) stopped`)
    t.comment(`event streams: ${followers.map((follower, i) => `follower ${i + 1} resumed ${follower.resumptions} times, ${follower.events.length} events`).join('; ')}`)
    assertEveryOrderOnce(t, score, records.length)
    const firstMissed = missed.flat().slice(0, 3).map((id) => `${id}: stored ${expected.get(id)?.join('→')}, received ${followers[0]?.events.filter((event) => event.data.orderId === id).map((event) => event.data.status).join('→')}`).join('; ') || 'none'
    const problems = records.filter((record) => !record.id).map((record) => record.lastProblem)
    if (problems.length > 0) t.comment(`not accepted: ${problems.length}, e.g. ${problems.slice(0, 3).join(' | ')}`)
    t.same(missed.map((ids) => ids.length), followers.map(() => 0), `every event-stream client received every status of every order, in order (first missed: ${firstMissed})`)
  })
}
