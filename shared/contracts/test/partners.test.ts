import t from 'tap'
import { Compile } from 'typebox/compile'
import { FeedQuerySchema, menuEvent, menuEventId, orderEvent, orderEventId, partnerEventTypes, partnerOrderOf } from '../src/partners.js'
import { buildMenuItem, buildOrder, withStatus } from '../src/testing.js'

const line = buildOrder().lines[0]!
const order = buildOrder({ owner: 'alice', customer: 'Ada Lovelace', table: '12', lines: [{ ...line, notes: 'no onions' }, line] })

t.test("an event's id comes from what it tells: the order and version, or the menu item and version", async (t) => {
  t.equal(orderEventId('o-1', 1), orderEventId('o-1', 1))
  t.not(orderEventId('o-1', 1), orderEventId('o-1', 2))
  t.not(orderEventId('o-1', 1), orderEventId('o-2', 1))
  t.equal(orderEvent(order).id, orderEvent(structuredClone(order), ['customer-details']).id)
  t.equal(menuEventId({ id: 'fries', version: 2 }), menuEvent(buildMenuItem({ id: 'fries', version: 2 })).id)
  t.not(menuEventId({ id: 'fries', version: 2 }), menuEventId({ id: 'fries', version: 3 }))
  t.not(menuEventId({ id: 'o-1', version: 1 }), orderEventId('o-1', 1))
})

t.test('a partner never sees who placed an order, nor without the customer-details scope its customer, table or notes', async (t) => {
  const seen = partnerOrderOf(order, [])
  t.same(Object.keys(seen).filter((field) => ['owner', 'customer', 'table'].includes(field)), [])
  t.notOk(seen.lines.some((seenLine) => 'notes' in seenLine))
  t.same(seen.lines.map(({ menuItemId, quantity }) => [menuItemId, quantity]), order.lines.map(({ menuItemId, quantity }) => [menuItemId, quantity]))
  t.match(seen, { id: order.id, status: order.status, totalCents: order.totalCents, version: order.version })
})

t.test('with the customer-details scope, a partner sees the customer, table and notes, still not who placed it', async (t) => {
  const { owner: _owner, ...expected } = order
  t.same(partnerOrderOf(order, ['customer-details']), expected)
})

t.test('an order at version 1 is told as placed, a later version as a status change at the time of its last step', async (t) => {
  t.match(orderEvent(order), { type: 'order.placed', occurredAt: order.placedAt, id: orderEventId(order.id, 1) })
  const accepted = withStatus(order, 'accepted', new Date('2030-01-01T00:00:00.000Z'))
  t.match(orderEvent(accepted), { type: 'order.status-changed', occurredAt: '2030-01-01T00:00:00.000Z', id: orderEventId(order.id, 2) })
})

t.test('a menu change is told as menu.changed with the item, when it changed', async (t) => {
  const item = buildMenuItem({ id: 'fries', version: 4 })
  t.same(menuEvent(item), { id: menuEventId(item), type: 'menu.changed', occurredAt: item.changedAt, data: { item } })
})

t.test("the feed's types are known event types, comma-separated; an unknown one or a stray comma is refused", async (t) => {
  const query = Compile(FeedQuerySchema)
  for (const types of [...partnerEventTypes, partnerEventTypes.join(','), 'menu.changed,order.placed']) t.ok(query.Check({ types }), types)
  for (const types of ['', 'webhook.ping', 'order', 'order.placedX', 'orderXplaced', 'order.placed,', ',menu.changed', 'order.placed;menu.changed', 'ORDER.PLACED']) {
    t.notOk(query.Check({ types }), types)
  }
})

t.test("the feed's cursor is a number and nothing else is asked", async (t) => {
  const query = Compile(FeedQuerySchema)
  t.ok(query.Check({ after: '42', limit: 10 }))
  t.notOk(query.Check({ after: '-1' }))
  t.notOk(query.Check({ after: '4e2' }))
  t.notOk(query.Check({ since: '42' }))
})
