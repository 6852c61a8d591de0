import t from 'tap'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { createFindOrder } from '../../src/use-cases/find-order.js'
import { alice, fakeKitchen, fakeViews, messages, requestFrom, ticketOf } from './fake-ports.js'

const placedAt = new Date('2026-01-02T03:00:00.000Z')
const refreshAfterMs = 5_000
const viewTtlMs = 60_000

function finder({ nowMs = placedAt.getTime() } = {}) {
  const views = fakeViews()
  const kitchen = fakeKitchen()
  const findOrder = createFindOrder({ views: views.views, kitchen: kitchen.kitchen, now: () => new Date(nowMs), viewRefreshAfterMs: refreshAfterMs, viewTtlMs })
  return { findOrder, views, kitchen }
}

t.test('a fresh view is the answer, and the kitchen is not asked', async (t) => {
  const { findOrder, views, kitchen } = finder()
  const order = buildOrder({ placedAt: placedAt.toISOString() })
  views.stored.set(order.id, order)
  kitchen.unreachable = true
  t.same(await findOrder(order.id, requestFrom(alice)), order)
})

t.test("a missing view of an order that moved within a view's lifetime was lost: refilled from the kitchen's record, announcing its statuses", async (t) => {
  const { findOrder, views, kitchen } = finder({ nowMs: placedAt.getTime() + viewTtlMs - 1 })
  const order = withStatus(buildOrder({ placedAt: placedAt.toISOString() }), 'accepted', placedAt)
  kitchen.tickets.set(order.id, ticketOf(order))
  t.same(await findOrder(order.id, requestFrom(alice)), order)
  t.same(views.stored.get(order.id), order)
  t.same(views.announced, [{ orderId: order.id, status: 'accepted', correlationId: 'req-1' }], 'the events Redis lost with the view are announced again')
})

t.test("a missing view of an order that last moved longer ago than a view lives had expired: refilled, announcing nothing", async (t) => {
  const { findOrder, views, kitchen } = finder({ nowMs: placedAt.getTime() + viewTtlMs })
  const order = withStatus(buildOrder({ placedAt: placedAt.toISOString() }), 'accepted', placedAt)
  kitchen.tickets.set(order.id, ticketOf(order))
  t.same(await findOrder(order.id, requestFrom(alice)), order)
  t.same(views.stored.get(order.id), order)
  t.same(views.announced, [], 'the statuses were announced when they happened')
})

t.test('an order neither the view nor the kitchen holds is not found', async (t) => {
  const { findOrder } = finder()
  t.equal(await findOrder('no-such-order', requestFrom(alice)), undefined)
})

t.test('a stale view catches up with a newer kitchen record, announcing what it missed and logging it', async (t) => {
  const { findOrder, views, kitchen } = finder({ nowMs: placedAt.getTime() + refreshAfterMs + 1 })
  const placed = buildOrder({ placedAt: placedAt.toISOString() })
  const cooking = withStatus(withStatus(placed, 'accepted'), 'cooking')
  views.stored.set(placed.id, placed)
  kitchen.tickets.set(placed.id, ticketOf(cooking))
  const ctx = requestFrom(alice)
  t.same(await findOrder(placed.id, ctx), cooking)
  t.same(views.stored.get(placed.id), cooking)
  t.same(views.announced, [{ orderId: placed.id, status: 'cooking', correlationId: 'req-1' }])
  t.match(messages(ctx.lines, 'order view caught up with the kitchen'), [{ orderId: placed.id, from: 'placed', to: 'cooking' }])
})

t.test('a stale view stays as it is when another waiter has the turn, the kitchen is no newer, or cannot say', async (t) => {
  const { findOrder, views, kitchen } = finder({ nowMs: placedAt.getTime() + refreshAfterMs + 1 })
  const placed = buildOrder({ placedAt: placedAt.toISOString() })
  views.stored.set(placed.id, placed)
  kitchen.tickets.set(placed.id, ticketOf(withStatus(placed, 'accepted')))
  views.refreshTurn = false
  t.same(await findOrder(placed.id, requestFrom(alice)), placed, 'not its turn')
  views.refreshTurn = true
  kitchen.tickets.set(placed.id, ticketOf(placed))
  const sameVersion = requestFrom(alice)
  t.same(await findOrder(placed.id, sameVersion), placed, 'the kitchen is no further')
  t.same(messages(sameVersion.lines, 'order view caught up with the kitchen'), [], 'nothing to catch up')
  kitchen.unreachable = true
  const ctx = requestFrom(alice)
  t.same(await findOrder(placed.id, ctx), placed, 'the kitchen is away')
  t.match(messages(ctx.lines, 'kitchen unreachable; showing the order view as it is'), [{ level: 40, orderId: placed.id }])
})

t.test('without Redis the kitchen answers; without both, the failure is the caller’s', async (t) => {
  const { findOrder, views, kitchen } = finder()
  const order = buildOrder()
  kitchen.tickets.set(order.id, ticketOf(order))
  views.down = true
  t.same(await findOrder(order.id, requestFrom(alice)), order)
  kitchen.unreachable = true
  await t.rejects(findOrder(order.id, requestFrom(alice)), { code: 'KITCHEN_UNAVAILABLE' })
})
