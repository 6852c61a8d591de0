import t from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { claimOf, claimRow, cookedUnitOf, ticketOfRow, ticketRow, witnessRow } from '../../../src/adapters/sqlite/sqlite-rows.js'

t.test('a ticket becomes a row with the columns the indexes need, and reads back exactly; NULL is an absent field', async (t) => {
  const order = buildOrder({ owner: 'alice' })
  const row = ticketRow({ order, fingerprint: 'fp', committedBy: 3 })
  t.match(row, { order_id: order.id, placed_at: order.placedAt, status: 'placed', owner: 'alice', fingerprint: 'fp', committed_by: 3 })
  t.strictSame(ticketOfRow(row), { order, fingerprint: 'fp', committedBy: 3 })
  const bare = ticketRow({ order: buildOrder() })
  t.same([bare.owner, bare.fingerprint, bare.committed_by], [null, null, null])
  t.strictSame(Object.keys(ticketOfRow(bare)), ['order'])
})

t.test('a claim and a started unit survive the trip through their rows', async (t) => {
  const claim = { orderId: 'o', number: 2, holder: 'k/2', kitchen: 'k', startedAt: 's', lease: 'l' }
  t.strictSame(claimOf(claimRow(claim)), claim)
  t.strictSame(claimOf(claimRow({ ...claim, abandonedAt: 'a' })), { ...claim, abandonedAt: 'a' })
  const started = { kitchen: 'k', unit: 1, menuItemId: 'fries', startedAt: 's' }
  t.strictSame(cookedUnitOf(witnessRow('o', 2, started)), started)
  t.strictSame(cookedUnitOf({ ...witnessRow('o', 2, started), ended_at: 'e' }), { ...started, endedAt: 'e' })
})
