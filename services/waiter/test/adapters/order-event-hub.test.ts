import t from 'tap'
import { createRedis } from '@restaurant/platform/redis/redis'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { createOrderEventHub, isAfter, type OrderEvent } from '../../src/adapters/order-event-hub.js'
import { buildViews } from './redis-harness.js'

const log = createLogger({ name: 'test', level: 'silent', pretty: false })

async function buildHub(t: Parameters<typeof buildViews>[0]) {
  const { views, redis, prefix } = buildViews(t)
  const reader = createRedis({ REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix, REDIS_COMMAND_TIMEOUT_MS: 250 }, log, { blocking: true })
  const hub = createOrderEventHub({ reader, redis }, log)
  t.teardown(() => hub.close())
  const live: OrderEvent[] = []
  hub.subscribe((event) => live.push(event))
  // The hub starts following from the stream's end: let it get there before anything is written.
  await new Promise((resolve) => setTimeout(resolve, 300))
  return { views, hub, live }
}

const statuses = (events: OrderEvent[]) => events.map((event) => event.status)

t.test('each status the view moves past is announced once, in order, live and for replay', async (t) => {
  const { views, hub, live } = await buildHub(t)
  const placed = buildOrder()
  const accepted = withStatus(placed, 'accepted')
  const ready = withStatus(withStatus(accepted, 'cooking'), 'ready')
  await views.apply(placed, 'req-1')
  await views.apply(ready, 'req-1')
  await views.apply(accepted, 'req-1')
  const wanted = ['placed', 'accepted', 'cooking', 'ready']
  t.same(statuses(await hub.orderEvents(placed.id)), wanted, 'a skipped step is announced from the history')
  for (let waited = 0; live.length < 4 && waited < 3_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50))
  t.same(statuses(live), wanted)
  t.ok(live.every((event, i) => i === 0 || isAfter(event.id, live[i - 1]?.id ?? '')), 'ids increase')
  t.match(live[3], { orderId: placed.id, correlationId: 'req-1', order: { status: 'ready' } })
  const [first] = await hub.orderEvents(placed.id)
  t.same(statuses(await hub.orderEvents(placed.id, first?.id)), wanted.slice(1), 'a resume gets only what came after')
  t.same((await hub.allEvents(first?.id ?? '')).map((event) => event.id), live.slice(1).map((event) => event.id), 'the same ids in both streams')
})

t.test('refilling the view from the kitchen announces nothing', async (t) => {
  const { views, hub } = await buildHub(t)
  const order = withStatus(buildOrder(), 'accepted')
  t.equal(await views.apply(order), true)
  t.same(await hub.orderEvents(order.id), [])
})
