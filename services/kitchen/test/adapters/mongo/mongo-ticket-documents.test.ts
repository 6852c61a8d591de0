import t from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { listFilter, ticketOfDocument, toDocument } from '../../../src/adapters/mongo/mongo-ticket-documents.js'

t.test('a ticket becomes a document keyed by its order, with the fields the indexes need, and reads back exactly', async (t) => {
  const order = buildOrder({ owner: 'alice' })
  const doc = toDocument({ order, fingerprint: 'fp', committedBy: 2 })
  t.match(doc, { _id: order.id, orderId: order.id, placedAt: order.placedAt, status: 'placed', fingerprint: 'fp', committedBy: 2 })
  t.strictSame(ticketOfDocument(doc), { order, fingerprint: 'fp', committedBy: 2 })
  t.strictSame(ticketOfDocument(toDocument({ order })), { order }, 'no empty fields for what the ticket lacks')
})

t.test('the list filter selects by status and owner, strictly after the cursor in newest-first order', async (t) => {
  t.strictSame(listFilter({ limit: 5 }), {})
  t.strictSame(listFilter({ limit: 5, status: 'ready', owner: 'alice' }), { status: 'ready', 'order.owner': 'alice' })
  t.strictSame(listFilter({ limit: 5, after: { placedAt: 'p', id: 'i' } }), { $or: [{ placedAt: { $lt: 'p' } }, { placedAt: 'p', orderId: { $lt: 'i' } }] })
})
