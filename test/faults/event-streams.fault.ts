import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { redisServer, stopDuringTest } from '../support/machine-services.js'
import { loadCustomer, placeOrders } from '../support/order-client.js'
import { readEventStream } from '../support/sse-client.js'
import { startStack } from '../support/stack.js'

const ORDERS = 40
const OUTAGE_MS = 5_000

t.test('Redis stopped for 5 s while clients follow their orders: the streams recover and no client misses or repeats a status', async (t) => {
  // Grilled chicken at speed 0.5 cooks for 5 s, four at a time: the orders are still moving when Redis stops.
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0.5', AMQP_RETRY_DELAYS_MS: '1000,5000,20000' })
  t.teardown(stack.stop)
  const records = await placeOrders(() => stack.gateway.url, ORDERS, { concurrency: 10, keyPrefix: 'streams', deadlineMs: Date.now() + 30_000, body: { items: [{ menuItemId: 'grilled-chicken', quantity: 1 }] } })
  const ids = records.flatMap((record) => (record.id ? [record.id] : []))
  t.equal(ids.length, ORDERS)
  const following = ids.map((id) =>
    readEventStream(`${stack.gateway.url}/api/orders/${id}/events`, loadCustomer, { done: (events) => events.some((event) => event.event === 'ready'), timeoutMs: 120_000 }),
  )
  await sleep(1_000)
  const restart = await stopDuringTest(t, redisServer)
  await sleep(OUTAGE_MS)
  await restart()
  const streams = await Promise.all(following)
  const wrong = streams.flatMap(({ events }, index) => {
    const statuses = events.map((event) => event.event).join(',')
    return statuses === 'placed,accepted,cooking,ready' ? [] : [`${ids[index]}: ${statuses}`]
  })
  t.same(wrong, [], 'every client saw placed, accepted, cooking and ready, once each, in order')
})
