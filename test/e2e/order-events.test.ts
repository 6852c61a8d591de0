import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { bearer, customer, signedGet, staff } from '../support/credentials.js'
import { placeOrders } from '../support/order-client.js'
import { readEventStream, type ReceivedEvent } from '../support/sse-client.js'
import { startStack } from '../support/stack.js'

const lifecycle = ['placed', 'accepted', 'cooking', 'ready']
const ORDERS = 200
const RESUMED_EVERY = 10

/** Two waiters and two kitchens: whichever instance handles an order, a client of either waiter sees it. */
t.test(`two waiters, two kitchens, ${ORDERS} orders: every client receives every event of its order once, in order, also after resuming`, async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0.02' })
  t.teardown(stack.stop)
  const secondWaiter = await stack.addInstance('waiter')
  await stack.addInstance('kitchen')
  const waiters = [stack.waiter.url, secondWaiter.url]
  const records = await placeOrders(() => stack.gateway.url, ORDERS, { concurrency: 20, keyPrefix: 'sse', deadlineMs: Date.now() + 60_000 })
  const ids = records.flatMap((record) => (record.id ? [record.id] : []))
  t.equal(ids.length, ORDERS, 'every order accepted')
  // The load client orders as this customer; the waiter needs the identity the gateway would sign.
  const asOwner = (url: string) => signedGet(customer('load-customer'), url)
  const reachedReady = (events: ReceivedEvent[]) => events.some((event) => event.event === 'ready')

  const streams = await Promise.all(
    ids.map(async (id, index) => {
      const url = `${waiters[index % 2]}/api/orders/${id}/events`
      if (index % RESUMED_EVERY !== 0) return (await readEventStream(url, asOwner(url), { done: reachedReady })).events
      // Drop the stream after its first event and resume on the other waiter from there.
      const first = await readEventStream(url, asOwner(url), { done: (events) => events.length >= 1 })
      const other = `${waiters[(index + 1) % 2]}/api/orders/${id}/events`
      const rest = await readEventStream(other, asOwner(other), { lastEventId: first.events.at(-1)?.id, done: reachedReady })
      return [...first.events, ...rest.events]
    }),
  )
  const wrong = streams.flatMap((events, index) => {
    const statuses = events.map((event) => event.event)
    return JSON.stringify(statuses) === JSON.stringify(lifecycle) && events.every((event) => event.data.orderId === ids[index]) ? [] : [`${ids[index]}: ${statuses.join(',')}`]
  })
  t.same(wrong, [], `${streams.length} streams, ${streams.filter((_, i) => i % RESUMED_EVERY === 0).length} of them resumed on the other waiter`)
  const position = (id: string) => id.split('-').map(Number) as [number, number]
  const after = (a: string, b: string) => position(a)[0] > position(b)[0] || (position(a)[0] === position(b)[0] && position(a)[1] > position(b)[1])
  const ascending = streams.every((events) => events.every((event, i) => i === 0 || after(event.id, events[i - 1]?.id ?? '0-0')))
  t.ok(ascending, 'event ids only increase')
})

t.test('the staff stream carries every order, through the gateway, and a customer cannot open it', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0' })
  t.teardown(stack.stop)
  const all = readEventStream(`${stack.gateway.url}/api/orders/events`, bearer(staff), { done: (events) => events.filter((event) => event.event === 'ready').length >= 3 })
  await new Promise((resolve) => setTimeout(resolve, 300))
  const placed: Order[] = []
  for (const who of ['ann', 'ben', 'cy']) {
    const response = await fetch(`${stack.gateway.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(customer(who)) },
      body: JSON.stringify({ items: [{ menuItemId: 'lemonade', quantity: 1 }] }),
    })
    placed.push((await response.json()) as Order)
  }
  const { events } = await all
  for (const order of placed) {
    t.same(events.filter((event) => event.data.orderId === order.id).map((event) => event.event), lifecycle, `${order.owner}'s order`)
  }
  t.equal((await readEventStream(`${stack.gateway.url}/api/orders/events`, bearer(customer('ann')), { done: () => true })).status, 403)
  const others = await readEventStream(`${stack.gateway.url}/api/orders/${placed[0]?.id}/events`, bearer(customer('ben')), { done: () => true })
  t.equal(others.status, 404, "another customer's order stream is 404")
})
