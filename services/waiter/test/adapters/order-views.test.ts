import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { createOrderViews } from '../../src/adapters/order-views.js'
import { buildViews, unreachableRedis } from './redis-harness.js'

/** One order through its happy path: placed, accepted, cooking, ready. */
function lifecycle() {
  const placed = buildOrder()
  const accepted = withStatus(placed, 'accepted')
  const cooking = withStatus(accepted, 'cooking')
  return [placed, accepted, cooking, withStatus(cooking, 'ready')] as const
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]]
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))
}

t.test('a view is stored and read back', async (t) => {
  const { views } = buildViews(t)
  const order = buildOrder({ table: '7', customer: 'Ada' })
  t.equal(await views.apply(order), true)
  t.same(await views.get(order.id), order)
})

t.test('an unknown order id has no view', async (t) => {
  const { views } = buildViews(t)
  await views.apply(buildOrder())
  t.equal(await views.get(randomUUID()), undefined)
})

t.test('a later status replaces an earlier one, an earlier or equal one changes nothing', async (t) => {
  const { views } = buildViews(t)
  const [placed, accepted, cooking, ready] = lifecycle()

  t.equal(await views.apply(cooking), true, 'cooking over nothing')
  t.equal(await views.apply(ready), true, 'ready over cooking')
  t.same(await views.get(placed.id), ready)

  t.equal(await views.apply(accepted), false, 'accepted after ready')
  t.same(await views.get(placed.id), ready, 'still ready')

  const otherCooking = withStatus(accepted, 'cooking')
  const other = buildOrder()
  t.equal(await views.apply({ ...otherCooking, id: other.id }), true)
  t.equal(await views.apply({ ...otherCooking, id: other.id, table: 'changed' }), false, 'cooking after cooking')
  t.equal((await views.get(other.id))?.table, undefined, 'the equal status did not overwrite the view')
})

t.test('events applied in any order end at the furthest status', async (t) => {
  const { views } = buildViews(t)
  const steps = lifecycle()
  const ready = steps[3]
  const orders = permutations(steps)
  t.equal(orders.length, 24)

  for (const sequence of orders) {
    const id = randomUUID()
    const applied: boolean[] = []
    for (const order of sequence) applied.push(await views.apply({ ...order, id }))
    const label = sequence.map((o) => o.status).join(' → ')
    t.same(await views.get(id), { ...ready, id }, label)
    // An event changes the view exactly when it is further along than every event before it.
    const expected = sequence.map((o, i) => sequence.slice(0, i).every((earlier) => steps.indexOf(earlier) < steps.indexOf(o)))
    t.same(applied, expected, `${label}: which events changed the view`)
  }
})

t.test('the view expires after its time to live', async (t) => {
  const { views, redis } = buildViews(t, { viewTtlSeconds: 1 })
  const order = buildOrder()
  await views.apply(order)
  const ttl = await redis.pttl(`order:${order.id}`)
  t.ok(ttl > 0 && ttl <= 1_000, `time to live ${ttl} ms`)

  const deadline = Date.now() + 3_000
  while ((await views.get(order.id)) !== undefined && Date.now() < deadline) await sleep(100)
  t.equal(await views.get(order.id), undefined, 'gone after the time to live')
})

t.test('of two ends of one order, the one with the higher version stands, whichever comes first', async (t) => {
  const { views } = buildViews(t)
  const accepted = withStatus(buildOrder(), 'accepted')
  const failedEarly = withStatus(accepted, 'failed')
  const ready = withStatus(withStatus(accepted, 'cooking'), 'ready')
  t.equal(await views.apply(failedEarly), true)
  t.equal(await views.apply(ready), true, 'version 4 replaces version 3')
  t.equal(await views.apply(failedEarly), false, 'the older end changes nothing')
  t.equal((await views.get(ready.id))?.status, 'ready')
})

t.test('one caller at a time, across every waiter, may refresh an order view', async (t) => {
  const { views } = buildViews(t)
  const id = randomUUID()
  t.same(await Promise.all([views.takeRefreshTurn(id, 200), views.takeRefreshTurn(id, 200)]), [true, false])
  t.equal(await views.takeRefreshTurn(randomUUID(), 200), true, 'another order has a turn of its own')
  await sleep(250)
  t.equal(await views.takeRefreshTurn(id, 200), true, 'a turn is there again once the period is over')
})

t.test('a view that cannot reach Redis fails with DEPENDENCY_UNAVAILABLE, so that status events wait for it', async (t) => {
  const redis = unreachableRedis(t)
  const views = createOrderViews(redis, { viewTtlSeconds: 60 })
  await t.rejects(views.apply(buildOrder(), 'req-1'), { code: 'DEPENDENCY_UNAVAILABLE', statusCode: 503 })
  await t.rejects(views.get(randomUUID()), { code: 'DEPENDENCY_UNAVAILABLE' })
})

t.test('a script error is the command’s own failure, not an outage', async (t) => {
  const { views, redis } = buildViews(t)
  const order = buildOrder()
  // A key of the wrong type: Redis refuses the script's command, which no wait would change.
  await redis.set(`order:${order.id}`, 'not a view')
  const failure = await views.apply(order, 'req-1').then(() => undefined, (err: Error & { code?: string }) => err)
  t.match(failure?.message, /WRONGTYPE/)
  t.not(failure?.code, 'DEPENDENCY_UNAVAILABLE')
})
