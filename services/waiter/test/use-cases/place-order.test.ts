import t, { type Test } from 'tap'
import type { Order, PlaceOrderBody } from '@restaurant/contracts/orders'
import { buildOrder } from '@restaurant/contracts/testing'
import { fingerprintOf, type Memory } from '../../src/domain/idempotency.js'
import { orderIdFor } from '../../src/domain/order-ids.js'
import { createLearnReservationMemory } from '../../src/use-cases/learn-reservation-memory.js'
import { createPlaceOrder } from '../../src/use-cases/place-order.js'
import { alice, busWithKitchen, fakeKitchen, fakeMenu, fakeReservations, fakeViews, messages, requestFrom, ticketOf } from './fake-ports.js'

const secret = 'order-id-secret-for-tests'
const now = new Date('2026-01-02T03:04:05.000Z')
const body: PlaceOrderBody = { items: [{ menuItemId: 'classic-burger', quantity: 2 }, { menuItemId: 'fries', quantity: 1 }], table: '7' }
const keyedId = (key: string) => orderIdFor(secret, alice.subject, key)

async function intake(t: Test, { memory = 'complete' as Memory } = {}) {
  const { bus, received } = await busWithKitchen(t)
  const views = fakeViews()
  const reservations = fakeReservations(memory)
  const kitchen = fakeKitchen()
  const moved: Order[] = []
  const learnReservationMemory = createLearnReservationMemory({ kitchen: kitchen.kitchen, reservations: reservations.reservations, now: () => now })
  const placeOrder = createPlaceOrder({
    views: views.views,
    reservations: reservations.reservations,
    kitchen: kitchen.kitchen,
    publish: bus.publish,
    menu: fakeMenu().menu,
    now: () => now,
    moved: (order) => void moved.push(order),
    learnReservationMemory,
    orderIdSecret: secret,
    maxUnitsPerOrder: 40,
  })
  return { placeOrder, bus, received, views, reservations, kitchen, moved }
}


t.test('an order is priced, announced to the kitchen, kept in the view, counted and logged', async (t) => {
  const { placeOrder, bus, received, views, moved } = await intake(t)
  const ctx = requestFrom(alice)
  const order = await placeOrder(body, undefined, ctx)
  t.match(order, { status: 'placed', owner: 'alice', table: '7', totalCents: 2750, placedAt: now.toISOString(), version: 1 })
  t.same(bus.published('order.placed'), [{ routingKey: 'order.placed', message: { order, fingerprint: fingerprintOf(body) }, correlationId: 'req-1' }])
  await bus.settled()
  t.same(received.placed, [{ order, fingerprint: fingerprintOf(body) }], 'the kitchen receives it, as the contract says')
  t.same(views.stored.get(order.id), order)
  t.same(views.announced, [{ orderId: order.id, status: 'placed', correlationId: 'req-1' }])
  t.same(moved, [order])
  t.match(messages(ctx.lines, 'order placed'), [{ orderId: order.id, totalCents: 2750 }])
})

t.test('a retry with the same key and body answers with the first order and places nothing more', async (t) => {
  const { placeOrder, bus, reservations } = await intake(t)
  const first = await placeOrder(body, 'key-1', requestFrom(alice))
  const ctx = requestFrom(alice, 'req-2')
  const again = await placeOrder({ table: '7', items: [...body.items] }, 'key-1', ctx)
  t.same(again, first)
  t.equal(first.id, keyedId('key-1'), 'the id is derived from the caller and the key')
  t.equal(bus.published('order.placed').length, 1)
  t.equal(reservations.reserved.get(first.id), fingerprintOf(body))
  t.same(messages(ctx.lines, 'order placed'), [], 'the retry logs no placing')
})

t.test('the same key with another body is refused, and nothing is published', async (t) => {
  const { placeOrder, bus } = await intake(t)
  await placeOrder(body, 'key-1', requestFrom(alice))
  await t.rejects(placeOrder({ items: [{ menuItemId: 'lemonade', quantity: 1 }] }, 'key-1', requestFrom(alice)), { code: 'IDEMPOTENCY_KEY_REUSED', statusCode: 422 })
  t.equal(bus.published().length, 1)
})

t.test("a key Redis may have forgotten is answered from the kitchen's record", async (t) => {
  const { placeOrder, bus, kitchen, views } = await intake(t, { memory: 'doubtful' })
  const earlier = buildOrder({ id: keyedId('key-1'), owner: 'alice' })
  kitchen.tickets.set(earlier.id, ticketOf(earlier, fingerprintOf(body)))
  t.same(await placeOrder(body, 'key-1', requestFrom(alice)), earlier)
  t.same(bus.published(), [])
  t.equal(views.stored.size, 0, 'the answer does not write the view')
})

t.test("a key the kitchen's record holds with another body is refused", async (t) => {
  const { placeOrder, bus, kitchen } = await intake(t, { memory: 'doubtful' })
  const earlier = buildOrder({ id: keyedId('key-1'), owner: 'alice' })
  kitchen.tickets.set(earlier.id, ticketOf(earlier, 'another-body'))
  await t.rejects(placeOrder(body, 'key-1', requestFrom(alice)), { code: 'IDEMPOTENCY_KEY_REUSED' })
  t.same(bus.published(), [])
})

t.test('without Redis an order is still placed, each failure logged under one constant message', async (t) => {
  const { placeOrder, bus, views, reservations } = await intake(t)
  views.down = true
  reservations.down = true
  const ctx = requestFrom(alice)
  const order = await placeOrder(body, 'key-1', ctx)
  t.equal(bus.published('order.placed').length, 1)
  const unavailable = messages(ctx.lines, "order view unavailable; using the kitchen's record")
  t.same(unavailable.map((line) => line.operation), ['reserve key', 'read', 'write'])
  t.match(unavailable[0], { level: 40, err: { code: 'DEPENDENCY_UNAVAILABLE' } })
  t.match(messages(ctx.lines, 'order placed'), [{ orderId: order.id }])
})

t.test('when the kitchen cannot say whether it holds a forgotten key, the order is placed again (the kitchen collapses duplicates)', async (t) => {
  const { placeOrder, bus, kitchen } = await intake(t, { memory: 'doubtful' })
  kitchen.unreachable = true
  const ctx = requestFrom(alice)
  const order = await placeOrder(body, 'key-1', ctx)
  t.equal(order.id, keyedId('key-1'))
  t.equal(bus.published('order.placed').length, 1)
  t.match(messages(ctx.lines, 'kitchen unreachable; placing the order again (the kitchen collapses duplicates)'), [{ level: 40, orderId: order.id }])
})

t.test('a key reserved while Redis has not been told what it remembers sets it learning, once', async (t) => {
  const { placeOrder, kitchen, reservations } = await intake(t, { memory: 'unknown' })
  await Promise.all([placeOrder(body, 'key-1', requestFrom(alice)), placeOrder(body, 'key-2', requestFrom(alice))])
  await new Promise((resolve) => setImmediate(resolve))
  t.same(kitchen.listed, [{ limit: 100 }], 'one look at the kitchen for both')
  t.same(reservations.rememberedSince, [undefined], 'the kitchen held no earlier order')
})

t.test('a sold-out or unknown item is refused before anything is reserved or published', async (t) => {
  const { placeOrder, bus, reservations } = await intake(t)
  const unorderable = { items: [{ menuItemId: 'truffle-pasta', quantity: 1 }, { menuItemId: 'pizza', quantity: 1 }] }
  await t.rejects(placeOrder(unorderable, 'key-1', requestFrom(alice)), { code: 'UNORDERABLE_ITEMS', invalidParams: [{ name: '/items/0/menuItemId' }, { name: '/items/1/menuItemId' }] })
  await t.rejects(placeOrder({ items: [{ menuItemId: 'fries', quantity: 41 }] }, 'key-2', requestFrom(alice)), { code: 'ORDER_TOO_LARGE' })
  t.equal(reservations.reserved.size, 0)
  t.same(bus.published(), [])
})

t.test('an order the broker does not take fails, and is neither stored nor logged as placed', async (t) => {
  const { placeOrder, bus, views, moved } = await intake(t)
  bus.disconnect()
  const ctx = requestFrom(alice)
  await t.rejects(placeOrder(body, undefined, ctx), { code: 'BROKER_UNAVAILABLE' })
  t.equal(views.stored.size, 0)
  t.same(moved, [])
  t.same(messages(ctx.lines, 'order placed'), [])
})
