import t from 'tap'
import { servedTicket } from '../../bench/prefill-store.js'

t.test('a prefilled ticket is a served order placed the given time ago, its history in order', async (t) => {
  const now = Date.parse('2026-12-01T12:00:00Z')
  const { order, fingerprint } = servedTicket(3_600_000, now)
  t.equal(order.placedAt, '2026-12-01T11:00:00.000Z')
  t.equal(order.status, 'ready')
  t.same(order.history.map((step) => step.status), ['placed', 'accepted', 'cooking', 'ready'])
  t.equal(order.version, 4)
  t.equal(order.totalCents, order.lines.reduce((sum, line) => sum + line.lineTotalCents, 0))
  t.type(fingerprint, 'string')
})
