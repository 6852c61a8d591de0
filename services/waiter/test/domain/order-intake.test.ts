import t from 'tap'
import type { MenuItem } from '@restaurant/contracts/menu'
import type { PlaceOrderBody } from '@restaurant/contracts/orders'
import { checkOrderSize, newOrder, priceOrder } from '../../src/domain/order-intake.js'

const menu: MenuItem[] = [
  { id: 'burger', name: 'Burger', priceCents: 1150, prepSeconds: 8, station: 'grill', available: true },
  { id: 'fries', name: 'Fries', priceCents: 450, prepSeconds: 4, station: 'fry', available: true },
  { id: 'truffle', name: 'Truffle', priceCents: 1890, prepSeconds: 12, station: 'grill', available: false },
]

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
})

t.test('unknown and sold-out items are refused, each named by its field', async (t) => {
  const body = buildBody({ items: [{ menuItemId: 'burger', quantity: 1 }, { menuItemId: 'pizza', quantity: 1 }, { menuItemId: 'truffle', quantity: 1 }] })
  t.throws(() => priceOrder(body, menu), {
    statusCode: 422,
    code: 'UNORDERABLE_ITEMS',
    invalidParams: [
      { in: 'body', name: '/items/1/menuItemId', reason: 'pizza is not on the menu' },
      { in: 'body', name: '/items/2/menuItemId', reason: 'truffle is sold out' },
    ],
  })
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
