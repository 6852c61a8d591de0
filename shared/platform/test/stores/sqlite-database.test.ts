import { join } from 'node:path'
import t from 'tap'
import { openDatabase } from '../../src/stores/sqlite-database.js'

const SCHEMA = 'CREATE TABLE IF NOT EXISTS notes (id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;'

t.test('a database is opened in WAL mode with its tables, so that the processes of one machine share it', async (t) => {
  const db = openDatabase(join(t.testdir(), 'notes.sqlite'), SCHEMA)
  t.teardown(() => db.close())
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  t.same(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all(), [{ name: 'notes' }])
})

t.test('opening it again keeps what it holds', async (t) => {
  const filename = join(t.testdir(), 'notes.sqlite')
  const first = openDatabase(filename, SCHEMA)
  first.prepare("INSERT INTO notes VALUES ('kept')").run()
  first.close()
  const again = openDatabase(filename, SCHEMA)
  t.teardown(() => again.close())
  t.same(again.prepare('SELECT id FROM notes').all(), [{ id: 'kept' }])
})

t.test('a schema that fails leaves no database open and says why', async (t) => {
  t.throws(() => openDatabase(join(t.testdir(), 'broken.sqlite'), 'CREATE TABLE broken ('), { code: 'SQLITE_ERROR' })
})

t.test('a missing native build fails naming the fix', async (t) => {
  const dir = t.testdir()
  t.throws(() => openDatabase(join(dir, 'notes.sqlite'), SCHEMA, join(dir, 'missing.node')), /pnpm rebuild better-sqlite3/)
})
