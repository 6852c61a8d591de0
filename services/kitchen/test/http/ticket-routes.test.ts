import t from 'tap'
import { kitchenPaths } from '@restaurant/contracts/kitchen-api'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { asWaiter, buildApp } from '../support/kitchen-app.js'

t.test('a ticket reads as staff see it, and an unknown one is a problem 404', async (t) => {
  const { app, store } = await buildApp(t)
  const order = buildOrder()
  await store.insertIfAbsent({ order, fingerprint: 'fp' })
  const found = await app.inject(asWaiter({ url: kitchenPaths.ticket(order.id) }))
  t.match(found.json(), { order: { id: order.id }, fingerprint: 'fp', cookedUnits: [], cookingAttempts: [] })
  const missing = await app.inject(asWaiter({ url: kitchenPaths.ticket(buildOrder().id) }))
  t.equal(missing.statusCode, 404)
  t.match(missing.headers['content-type'], /problem\+json/)
})

t.test('tickets are listed newest first, filtered, and paged with an opaque cursor', async (t) => {
  const { app, store } = await buildApp(t)
  const orders = [0, 1, 2].map((minute) => buildOrder({ placedAt: new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString() }))
  for (const order of orders) await store.insertIfAbsent({ order })
  await store.replaceIfStatus(withStatus(orders[0]!, 'accepted'), 'placed')
  const first = (await app.inject(asWaiter({ url: `${kitchenPaths.tickets}?limit=1&status=placed` }))).json<{ orders: { id: string }[]; nextCursor: string }>()
  t.same(first.orders.map((order) => order.id), [orders[2]?.id])
  const next = (await app.inject(asWaiter({ url: `${kitchenPaths.tickets}?limit=1&status=placed&cursor=${first.nextCursor}` }))).json<{ orders: { id: string }[]; nextCursor?: string }>()
  t.same(next.orders.map((order) => order.id), [orders[1]?.id])
  t.equal(next.nextCursor, undefined, 'the accepted order is not listed as placed: no third page')
  t.equal((await app.inject(asWaiter({ url: `${kitchenPaths.tickets}?cursor=nonsense` }))).statusCode, 400)
})
