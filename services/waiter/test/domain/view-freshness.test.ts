import t from 'tap'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { isStale, wasLost } from '../../src/domain/view-freshness.js'

const placedAt = new Date('2026-01-02T03:00:00.000Z')
const later = (ms: number) => new Date(placedAt.getTime() + ms)

t.test('an open order whose view has not moved for longer than the period is stale', async (t) => {
  const view = buildOrder({ placedAt: placedAt.toISOString() })
  t.equal(isStale(view, later(5_001), 5_000), true)
  t.equal(isStale(view, later(5_000), 5_000), false, 'exactly the period is still fresh')
})

t.test("the view's last move, not its placing, starts the period", async (t) => {
  const accepted = withStatus(buildOrder({ placedAt: placedAt.toISOString() }), 'accepted', later(4_000))
  t.equal(isStale(accepted, later(6_000), 5_000), false)
  t.equal(isStale(accepted, later(9_001), 5_000), true)
})

t.test('a finished order is never stale', async (t) => {
  const ready = withStatus(withStatus(withStatus(buildOrder({ placedAt: placedAt.toISOString() }), 'accepted', placedAt), 'cooking', placedAt), 'ready', placedAt)
  t.equal(isStale(ready, later(60_000), 5_000), false)
})

t.test('a missing view was lost while the order moved within a view lifetime ago, and had expired after', async (t) => {
  const movedAt = new Date('2026-01-02T03:00:00.000Z')
  const order = withStatus(buildOrder({ placedAt: movedAt.toISOString() }), 'cooking', movedAt)
  const ttlMs = 60_000
  t.ok(wasLost(order, new Date(movedAt.getTime() + ttlMs - 1), ttlMs))
  t.notOk(wasLost(order, new Date(movedAt.getTime() + ttlMs), ttlMs))
})
