import t from 'tap'
import { topologyFor } from '@restaurant/contracts/messages'
import type { Order } from '@restaurant/contracts/orders'
import { eventually } from '../support/isolation.js'
import { metricValue } from '../support/metrics.js'
import { loadCustomer, placeOrder } from '../support/order-client.js'
import { readEventStream } from '../support/sse-client.js'
import { startStack, type Stack } from '../support/stack.js'

const chickens = (quantity: number) => ({ items: [{ menuItemId: 'grilled-chicken', quantity }] })

/** Places an order through the gateway and returns its id. */
async function place(stack: Stack, key: string, body: object): Promise<string> {
  const { id, lastProblem } = await placeOrder(() => stack.gateway.url, key, Date.now() + 10_000, body)
  if (!id) throw new Error(`order ${key} refused: ${lastProblem}`)
  return id
}

async function readOrder(stack: Stack, id: string): Promise<Order> {
  return (await fetch(`${stack.gateway.url}/api/orders/${id}`, { headers: loadCustomer })).json() as Promise<Order>
}

function untilStatus(stack: Stack, id: string, status: Order['status'], timeoutMs = 60_000): Promise<Order> {
  return eventually(async () => {
    const order = await readOrder(stack, id)
    return order.status === status ? order : undefined
  }, timeoutMs, `order ${id} to be ${status}`)
}

t.test('an order of more units than an order may have is refused at the front door with 422 naming the items', async (t) => {
  const stack = await startStack()
  t.teardown(stack.stop)
  const giant = { items: [{ menuItemId: 'grilled-chicken', quantity: 20 }, { menuItemId: 'classic-burger', quantity: 20 }, { menuItemId: 'fries', quantity: 1 }] }
  const response = await fetch(`${stack.gateway.url}/api/orders`, { method: 'POST', headers: { ...loadCustomer, 'content-type': 'application/json' }, body: JSON.stringify(giant) })
  t.equal(response.status, 422)
  t.match(await response.json(), { code: 'order-too-large', invalidParams: [{ name: '/items', reason: '41 units in all; at most 40' }] })
})

t.test('an order cancelled while it waits for its station gives the station back: the next order starts as soon as the grill is free', async (t) => {
  // Grilled chicken takes 10 s, four at a time: `blocker` holds the grill for 10 s, `cancelled` would hold it for the next 10.
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '1' })
  t.teardown(stack.stop)
  const blocker = await place(stack, 'blocker', chickens(4))
  await untilStatus(stack, blocker, 'cooking')
  const cancelled = await place(stack, 'cancelled', chickens(4))
  await untilStatus(stack, cancelled, 'accepted')
  const next = await place(stack, 'next', chickens(1))
  await untilStatus(stack, next, 'accepted')
  const cancelledEvents = readEventStream(`${stack.gateway.url}/api/orders/${cancelled}/events`, loadCustomer, { done: (events) => events.some((event) => event.event === 'cancelled') })

  const askedAt = Date.now()
  const answer = await fetch(`${stack.gateway.url}/api/orders/${cancelled}/cancel`, { method: 'POST', headers: loadCustomer })
  t.equal(answer.status, 202)
  const wokenMs = ((await cancelledEvents).events.find((event) => event.event === 'cancelled')?.receivedAt ?? Infinity) - askedAt
  const [done, following] = [await untilStatus(stack, blocker, 'ready'), await untilStatus(stack, next, 'ready')]
  const grillFreeAt = Date.parse(done.result?.readyAt ?? '')
  const startedAfterMs = Date.parse(following.result?.startedAt ?? '') - grillFreeAt
  t.comment(`cancel → cancelled seen by its client: ${wokenMs} ms; the next order started ${startedAfterMs} ms after the grill was free (10,000 ms later had the cancelled order kept its slots)`)
  // Results give the times the witness recorded, to a timer's accuracy: 0 give or take, against 10,000.
  t.ok(Math.abs(startedAfterMs) < 1_000, 'the next order took the slot the moment the blocker left it, not after the cancelled order')
  t.equal((await readOrder(stack, cancelled)).status, 'cancelled')
})

t.test('an order that would wait for its station longer than a delivery may be held is set aside, comes back, and is cooked once', async (t) => {
  // Eight chickens: the grill is busy for 20 s, four times the 5 s a delivery may be held.
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '1', AMQP_MAX_HOLD_MS: '5000', AMQP_SET_ASIDE_MS: '2000' })
  t.teardown(stack.stop)
  const blocker = await place(stack, 'blocker', chickens(8))
  await untilStatus(stack, blocker, 'cooking')
  const patient = await place(stack, 'patient', chickens(1))
  const ready = await untilStatus(stack, patient, 'ready', 60_000)

  const queue = topologyFor(stack.run.namespace).queues.kitchenOrders.queue
  const setAside = (await metricValue(stack.kitchen.internalUrl, 'amqp_deliveries_total', { queue, outcome: 'set_aside' })) ?? 0
  const announced = stack.records.announced().filter((order) => order.id === patient)
  const distinct = new Set(announced.map((order) => JSON.stringify(order)))
  t.comment(`set aside ${setAside} times; placed → ready in ${Date.parse(ready.history.at(-1)?.at ?? '') - Date.parse(ready.placedAt)} ms`)
  t.ok(setAside > 0, 'the order was set aside while the grill was booked')
  t.same(ready.history.map((entry) => entry.status), ['placed', 'accepted', 'cooking', 'ready'], 'each step once')
  t.same([...new Set(announced.map((order) => order.status))], ['accepted', 'cooking', 'ready'])
  t.equal(distinct.size, 3, 'one state announced per step: cooked once')
  // The witness's times, to a timer's accuracy: the grill was busy for 20 s before.
  t.ok(Date.parse(ready.result?.startedAt ?? '') > Date.parse((await readOrder(stack, blocker)).result?.readyAt ?? '') - 1_000, 'cooked once the grill was free')
})
