import t from 'tap'
import { Value } from 'typebox/value'
import { buildOrder } from '../src/testing.js'
import { StaffOrder, TicketSchema } from '../src/kitchen-api.js'

t.test('a ticket is an order with the units cooked for it and the attempts made', async (t) => {
  t.ok(Value.Check(TicketSchema, { order: buildOrder(), cookedUnits: [], cookingAttempts: [] }))
  t.notOk(Value.Check(TicketSchema, { cookedUnits: [], cookingAttempts: [] }))
})

t.test("staff see an order with the kitchen's record of it, or without one while the kitchen holds no ticket", async (t) => {
  t.ok(Value.Check(StaffOrder, { ...buildOrder(), cookedUnits: [], cookingAttempts: [] }))
  t.ok(Value.Check(StaffOrder, buildOrder()))
  t.notOk(Value.Check(StaffOrder, { ...buildOrder(), cookedUnits: [{ unit: 'one' }] }))
})
