import t from 'tap'
import { menu } from '@restaurant/contracts/menu'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { advance, InvalidTransitionError, refusalReason } from '../../src/domain/ticket-lifecycle.js'

const at = new Date('2024-01-01T00:00:05.000Z')
const lineOf = (menuItemId: string) => ({ menuItemId, name: menuItemId, station: 'fry' as const, quantity: 1, unitPriceCents: 1, lineTotalCents: 1 })

t.test('a move records itself in the history, carries its details and counts one more version', async (t) => {
  const placed = buildOrder()
  const rejected = advance(placed, 'rejected', at, { reason: 'sold out: fries' })
  t.equal(rejected.status, 'rejected')
  t.equal(rejected.reason, 'sold out: fries')
  t.equal(rejected.version, placed.version + 1)
  t.same(rejected.history.at(-1), { status: 'rejected', at: at.toISOString() })
  t.equal(rejected.history.length, placed.history.length + 1)
  t.equal(placed.status, 'placed', 'the order moved is left as it was')
})

t.test('a move the lifecycle forbids is refused, naming both ends', async (t) => {
  const ready = withStatus(withStatus(withStatus(buildOrder(), 'accepted'), 'cooking'), 'ready')
  t.throws(() => advance(ready, 'cooking', at), new InvalidTransitionError('ready', 'cooking'))
  t.throws(() => advance(ready, 'cooking', at), { code: 'INVALID_TRANSITION', message: 'An order cannot go from ready to cooking' })
})

t.test('an order the menu can serve has no refusal', async (t) => {
  t.equal(refusalReason(buildOrder(), menu), undefined)
})

t.test('a refusal names the sold-out items together, then the items it cannot tell how to cook', async (t) => {
  const soldOut = menu.map((item) => (item.id === 'fries' || item.id === 'classic-burger' ? { ...item, available: false } : item))
  const order = buildOrder({ lines: ['classic-burger', 'gone', 'fries'].map(lineOf) })
  t.equal(refusalReason(order, soldOut), 'sold out: classic-burger, fries; not on the menu: gone')
})

t.test('a dish retired or gone from the menu since the order is cooked as ordered', async (t) => {
  const retired = menu.map((item) => (item.id === 'fries' ? { ...item, retired: true } : item))
  const order = buildOrder({ lines: [lineOf('fries'), { ...lineOf('gone'), prepSeconds: 3 }] })
  t.equal(refusalReason(order, retired), undefined)
})
