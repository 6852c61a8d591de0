import t from 'tap'
import { Value } from 'typebox/value'
import { Order } from '../src/orders.js'
import { buildOrder, withStatus } from '../src/testing.js'

t.test('a built order is valid against the order schema, and each is a new order', async (t) => {
  t.ok(Value.Check(Order, buildOrder()))
  t.not(buildOrder().id, buildOrder().id)
})

t.test('overrides replace the fields they name and keep the rest', async (t) => {
  const order = buildOrder({ owner: 'alice', table: '7' })
  t.match(order, { owner: 'alice', table: '7', status: 'placed', version: 1 })
})

t.test('an order moved on records the step in its history and one more version', async (t) => {
  const accepted = withStatus(buildOrder(), 'accepted', new Date('2026-01-01T00:00:00Z'))
  t.ok(Value.Check(Order, accepted))
  t.match(accepted, { status: 'accepted', version: 2 })
  t.same(accepted.history.at(-1), { status: 'accepted', at: '2026-01-01T00:00:00.000Z' })
})
