import t from 'tap'
import type { MenuItem } from '@restaurant/contracts/menu'
import { buildMenuItem } from '@restaurant/contracts/testing'
import type { PlaceOrderBody } from '@restaurant/contracts/orders'
import { checkOrderSize, newOrder, priceOrder } from '../../src/domain/order-intake.js'

const doneness = { id: 'doneness', name: 'Doneness', minChoices: 1, maxChoices: 1, options: [
  { id: 'rare', name: 'Rare', priceDeltaCents: 0, prepSecondsDelta: 0 },
  { id: 'well-done', name: 'Well done', priceDeltaCents: 0, prepSecondsDelta: 3 },
] }
const extras = { id: 'extras', name: 'Extras', minChoices: 0, maxChoices: 2, options: [
  { id: 'cheese', name: 'Cheese', priceDeltaCents: 100, prepSecondsDelta: 0 },
  { id: 'bacon', name: 'Bacon', priceDeltaCents: 150, prepSecondsDelta: 1 },
  { id: 'egg', name: 'Egg', priceDeltaCents: 120, prepSecondsDelta: 1 },
] }
const items: MenuItem[] = [
  buildMenuItem({ id: 'burger', name: 'Burger', priceCents: 1150, prepSeconds: 8, optionGroups: [extras] }),
  buildMenuItem({ id: 'fries', name: 'Fries', priceCents: 450, prepSeconds: 4, station: 'fry' }),
  buildMenuItem({ id: 'truffle', name: 'Truffle', priceCents: 1890, prepSeconds: 12, available: false }),
  buildMenuItem({ id: 'steak', name: 'Steak', priceCents: 2650, prepSeconds: 12, optionGroups: [doneness, extras] }),
]

const menu = { version: 14, items }

/** The 422 refusing an order, naming each offending field of the body with its reason. */
const unorderable = (fields: [name: string, reason: string][]) => ({
  statusCode: 422,
  code: 'UNORDERABLE_ITEMS',
  invalidParams: fields.map(([name, reason]) => ({ in: 'body', name, reason })),
})

const buildBody = (overrides: Partial<PlaceOrderBody> = {}): PlaceOrderBody => ({
  items: [{ menuItemId: 'burger', quantity: 2 }, { menuItemId: 'fries', quantity: 1, notes: 'extra salt' }],
  ...overrides,
})

t.test('each line is priced from the menu and the total is their sum', async (t) => {
  const { lines, totalCents } = priceOrder(buildBody(), menu)
  t.match(lines, [
    { menuItemId: 'burger', name: 'Burger', station: 'grill', quantity: 2, unitPriceCents: 1150, lineTotalCents: 2300 },
    { menuItemId: 'fries', quantity: 1, unitPriceCents: 450, lineTotalCents: 450, notes: 'extra salt' },
  ])
  t.equal(totalCents, 2750)
  t.equal(priceOrder(buildBody(), menu).menuVersion, 14, 'the menu version it was priced from')
})

t.test('chosen options are priced on top of the dish, and the line keeps them with the time one unit takes', async (t) => {
  const { lines, totalCents } = priceOrder(buildBody({ items: [{ menuItemId: 'steak', quantity: 2, options: ['well-done', 'bacon', 'cheese'] }] }), menu)
  t.same(lines, [{
    menuItemId: 'steak',
    name: 'Steak',
    station: 'grill',
    quantity: 2,
    options: [
      { id: 'well-done', name: 'Well done', group: 'Doneness', priceDeltaCents: 0 },
      { id: 'bacon', name: 'Bacon', group: 'Extras', priceDeltaCents: 150 },
      { id: 'cheese', name: 'Cheese', group: 'Extras', priceDeltaCents: 100 },
    ],
    unitPriceCents: 2900,
    lineTotalCents: 5800,
    prepSeconds: 16,
  }])
  t.equal(totalCents, 5800)
  t.notOk('options' in (priceOrder(buildBody(), menu).lines[0] ?? {}), 'a line without options has none')
})

t.test("options that break their groups' rules are refused, each named by its field", async (t) => {
  const body = buildBody({ items: [
    { menuItemId: 'steak', quantity: 1, options: ['cheese'] },
    { menuItemId: 'burger', quantity: 1, options: ['cheese', 'rare', 'cheese'] },
    { menuItemId: 'steak', quantity: 1, options: ['rare', 'cheese', 'bacon', 'egg'] },
    { menuItemId: 'fries', quantity: 1, options: ['cheese'] },
  ] })
  t.throws(() => priceOrder(body, menu), unorderable([
    ['/items/0/options', 'Doneness: choose at least 1'],
    ['/items/1/options/1', 'rare is not an option of burger'],
    ['/items/1/options/2', 'cheese is chosen twice'],
    ['/items/2/options/3', 'Extras: choose at most 2'],
    ['/items/3/options/0', 'cheese is not an option of fries'],
  ]))
})

t.test('unknown and sold-out items are refused, each named by its field', async (t) => {
  const body = buildBody({ items: [{ menuItemId: 'burger', quantity: 1 }, { menuItemId: 'pizza', quantity: 1 }, { menuItemId: 'truffle', quantity: 1 }] })
  t.throws(() => priceOrder(body, menu), unorderable([
    ['/items/1/menuItemId', 'pizza is not on the menu'],
    ['/items/2/menuItemId', 'truffle is sold out'],
  ]))
})

t.test('a new order is placed, with its placement in the history', async (t) => {
  const now = new Date('2026-01-02T03:04:05.000Z')
  const order = newOrder('id-1', buildBody({ table: '7' }), priceOrder(buildBody(), menu), 'alice', now)
  t.match(order, { id: 'id-1', status: 'placed', placedAt: now.toISOString(), table: '7', totalCents: 2750, owner: 'alice' })
  t.same(order.history, [{ status: 'placed', at: now.toISOString() }])
  t.notOk('customer' in order, 'absent optional fields stay absent')
})

t.test('an order of more units in all than allowed is refused, naming the items', async (t) => {
  const body = buildBody({ items: [{ menuItemId: 'burger', quantity: 20 }, { menuItemId: 'fries', quantity: 20 }, { menuItemId: 'fries', quantity: 1 }] })
  t.throws(() => checkOrderSize(body, 40), {
    statusCode: 422,
    code: 'ORDER_TOO_LARGE',
    invalidParams: [{ in: 'body', name: '/items', reason: '41 units in all; at most 40' }],
  })
  t.doesNotThrow(() => checkOrderSize(buildBody({ items: [{ menuItemId: 'burger', quantity: 20 }, { menuItemId: 'fries', quantity: 20 }] }), 40), 'exactly the limit is fine')
})
