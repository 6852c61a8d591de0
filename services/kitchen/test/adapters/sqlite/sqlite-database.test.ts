import { join } from 'node:path'
import t from 'tap'
import { openTicketDatabase } from '../../../src/adapters/sqlite/sqlite-database.js'

t.test('the ticket database holds the tickets, claims, leases and witness tables', async (t) => {
  const db = openTicketDatabase(join(t.testdir(), 'tickets.sqlite'))
  t.teardown(() => db.close())
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()
  t.same(tables.map((table) => table.name), ['claims', 'leases', 'tickets', 'witness'])
})
