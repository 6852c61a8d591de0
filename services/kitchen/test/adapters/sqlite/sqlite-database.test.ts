import { join } from 'node:path'
import t from 'tap'
import { openTicketDatabase } from '../../../src/adapters/sqlite/sqlite-database.js'

t.test('the database is opened in WAL mode with its tables, so that the kitchens of one machine share it', async (t) => {
  const db = openTicketDatabase(join(t.testdir(), 'tickets.sqlite'))
  t.teardown(() => db.close())
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()
  t.same(tables.map((table) => table.name), ['claims', 'leases', 'tickets', 'witness'])
})

t.test('opening it again keeps what it holds', async (t) => {
  const filename = join(t.testdir(), 'tickets.sqlite')
  const first = openTicketDatabase(filename)
  first.prepare("INSERT INTO leases VALUES ('l', 'k', 1)").run()
  first.close()
  const again = openTicketDatabase(filename)
  t.teardown(() => again.close())
  t.same(again.prepare('SELECT id FROM leases').all(), [{ id: 'l' }])
})

t.test('a missing native build fails naming the fix', async (t) => {
  const dir = t.testdir()
  t.throws(() => openTicketDatabase(join(dir, 'tickets.sqlite'), join(dir, 'missing.node')), /pnpm rebuild better-sqlite3/)
})
