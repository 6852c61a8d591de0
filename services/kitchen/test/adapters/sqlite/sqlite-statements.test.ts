import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { openTicketDatabase } from '../../../src/adapters/sqlite/sqlite-database.js'
import { ticketStatements } from '../../../src/adapters/sqlite/sqlite-statements.js'

function statements(t: Test) {
  const db = openTicketDatabase(join(t.testdir(), 'tickets.sqlite'))
  t.teardown(() => db.close())
  return ticketStatements(db)
}

t.test('a ticket is inserted once, and an update writes the order with the claim that committed it', async (t) => {
  const sql = statements(t)
  const order = buildOrder()
  t.equal(sql.insertTicket({ order, fingerprint: 'fp' }), true)
  t.equal(sql.insertTicket({ order }), false)
  const accepted = withStatus(order, 'accepted')
  sql.updateOrder(accepted, 1)
  t.strictSame(sql.ticket(order.id), { order: accepted, fingerprint: 'fp', committedBy: 1 })
  sql.updateOrder(withStatus(accepted, 'cancelled'), undefined)
  t.equal(sql.ticket(order.id)?.committedBy, undefined)
})

t.test('a claim change names only what it changes: a claim abandoned stays abandoned', async (t) => {
  const sql = statements(t)
  const claim = { orderId: 'o', number: 1, holder: 'k/1', kitchen: 'k', startedAt: 's', lease: 'l' }
  t.equal(sql.insertClaim(claim), true)
  t.equal(sql.insertClaim(claim), false)
  sql.updateClaim('o', 1, { abandonedAt: 'a' })
  sql.updateClaim('o', 1, {})
  t.strictSame(sql.claims('o'), [{ ...claim, abandonedAt: 'a' }])
  t.same([sql.claimExists('o', 1), sql.claimExists('o', 2)], [true, false])
})

t.test('the list combines its conditions, newest first, strictly after the cursor', async (t) => {
  const sql = statements(t)
  const orders = [0, 1, 2].map((minute) => buildOrder({ owner: minute === 1 ? 'bob' : 'alice', placedAt: new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString() }))
  for (const order of orders) sql.insertTicket({ order })
  const ids = (list: { id: string }[]) => list.map((order) => order.id)
  t.same(ids(sql.list({ limit: 10 })), ids([...orders].reverse()))
  t.same(ids(sql.list({ limit: 10, owner: 'alice', status: 'placed' })), ids([orders[2]!, orders[0]!]))
  t.same(ids(sql.list({ limit: 10, after: { placedAt: orders[2]!.placedAt, id: orders[2]!.id } })), ids([orders[1]!, orders[0]!]))
  t.same(ids(sql.list({ limit: 1, owner: 'bob' })), ids([orders[1]!]))
})
