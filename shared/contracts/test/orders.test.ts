import t from 'tap'
import { Value } from 'typebox/value'
import { buildOrder } from '../src/testing.js'
import { MAX_LINES, MAX_QUANTITY, Order, PlaceOrderBody } from '../src/orders.js'

const item = { menuItemId: 'fries', quantity: 1 }

t.test('an order body needs at least one line and at most the maximum', async (t) => {
  t.ok(Value.Check(PlaceOrderBody, { items: [item] }))
  t.notOk(Value.Check(PlaceOrderBody, { items: [] }))
  t.notOk(Value.Check(PlaceOrderBody, { items: Array.from({ length: MAX_LINES + 1 }, () => item) }))
})

t.test('a line asks for between one and the maximum quantity', async (t) => {
  t.ok(Value.Check(PlaceOrderBody, { items: [{ ...item, quantity: MAX_QUANTITY }] }))
  t.notOk(Value.Check(PlaceOrderBody, { items: [{ ...item, quantity: 0 }] }))
  t.notOk(Value.Check(PlaceOrderBody, { items: [{ ...item, quantity: MAX_QUANTITY + 1 }] }))
})

t.test('an order body refuses properties it does not define', async (t) => {
  t.notOk(Value.Check(PlaceOrderBody, { items: [item], price: 0 }))
  t.notOk(Value.Check(PlaceOrderBody, { items: [{ ...item, unitPriceCents: 0 }] }))
})

t.test('an order carries a known status and its lines name a known station', async (t) => {
  t.ok(Value.Check(Order, buildOrder()))
  t.notOk(Value.Check(Order, { ...buildOrder(), status: 'eaten' }))
  const [line] = buildOrder().lines
  t.notOk(Value.Check(Order, { ...buildOrder(), lines: [{ ...line, station: 'bar' }] }))
})
