import t from 'tap'
import type { MenuItem, Order } from '@restaurant/shared'
import { emptySlots, finishedAt, resultOf, schedule, unitsOf } from '../src/cooking.js'

const menu: MenuItem[] = [
  { id: 'burger', name: 'Burger', priceCents: 1150, prepSeconds: 8, station: 'grill', available: true },
  { id: 'fries', name: 'Fries', priceCents: 450, prepSeconds: 4, station: 'fry', available: true },
]
const capacity = { grill: 2, fry: 1, salad: 1, drinks: 1, dessert: 1 }
const line = (menuItemId: string, quantity: number) => ({
  menuItemId,
  name: menuItemId,
  station: 'grill',
  quantity,
  unitPriceCents: 1,
  lineTotalCents: quantity,
})
const order = (lines: Order['lines']) => ({ lines }) as Order

t.test('every unit of every line is cooked, at the menu time scaled by the speed factor', async (t) => {
  const units = unitsOf(order([line('burger', 2), line('fries', 1)]), menu, 0.5)
  t.same(units, [
    { menuItemId: 'burger', station: 'grill', prepMs: 4000 },
    { menuItemId: 'burger', station: 'grill', prepMs: 4000 },
    { menuItemId: 'fries', station: 'fry', prepMs: 2000 },
  ])
})

t.test('speed factor 0 cooks instantly', async (t) => {
  const { scheduled } = schedule(emptySlots(capacity), unitsOf(order([line('burger', 3)]), menu, 0), 1000)
  t.equal(finishedAt(scheduled, 1000), 1000)
})

t.test('a station cooks as many units at once as its capacity, the rest wait for a free slot', async (t) => {
  const units = unitsOf(order([line('burger', 3), line('fries', 2)]), menu, 1)
  const { scheduled } = schedule(emptySlots(capacity), units, 0)
  t.same(
    scheduled.map(({ menuItemId, startMs, endMs }) => [menuItemId, startMs, endMs]),
    [
      ['burger', 0, 8000],
      ['burger', 0, 8000],
      ['burger', 8000, 16000],
      ['fries', 0, 4000],
      ['fries', 4000, 8000],
    ],
  )
})

t.test('a later order waits for the slots an earlier one booked', async (t) => {
  const first = schedule(emptySlots(capacity), unitsOf(order([line('fries', 1)]), menu, 1), 0)
  const second = schedule(first.slots, unitsOf(order([line('fries', 1)]), menu, 1), 1000)
  t.same(second.scheduled.map((unit) => unit.startMs), [4000])
})

t.test('the result gives each item its times and the total preparation time', async (t) => {
  const { scheduled } = schedule(emptySlots(capacity), unitsOf(order([line('burger', 1), line('fries', 1)]), menu, 1), 0)
  const result = resultOf(scheduled)
  t.equal(result.totalPrepMs, 8000)
  t.equal(result.startedAt, new Date(0).toISOString())
  t.equal(result.readyAt, new Date(8000).toISOString())
  t.same(result.items.map((item) => item.menuItemId), ['burger', 'fries'])
})

t.test('an item that left the menu cannot be cooked', async (t) => {
  t.throws(() => unitsOf(order([line('pizza', 1)]), menu, 1), /not on the menu/)
})
