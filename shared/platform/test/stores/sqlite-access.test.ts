import { rmSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { guardedAccess, storeFileErrors } from '../../src/stores/sqlite-access.js'
import { openDatabase } from '../../src/stores/sqlite-database.js'

const errors = storeFileErrors('NOTE', 'note')

function openNotes(t: Test) {
  const filename = join(t.testdir(), 'notes.sqlite')
  const db = openDatabase(filename, 'CREATE TABLE IF NOT EXISTS notes (id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;')
  t.teardown(() => db.close())
  return { db, filename, ...guardedAccess(db, filename, errors.access) }
}

t.test('writes and reads go through while the file is the one opened', async (t) => {
  const { db, write, serve } = openNotes(t)
  await write(() => db.prepare("INSERT INTO notes VALUES ('a')").run())
  t.same(await serve(() => db.prepare('SELECT id FROM notes').all()), [{ id: 'a' }])
})

t.test('a closed store fails with its own code, as unavailable', async (t) => {
  const { db, serve } = openNotes(t)
  db.close()
  const failure = await serve(() => 1).catch((error: unknown) => error)
  t.match(failure, { code: 'NOTE_STORE_CLOSED', statusCode: 503 })
  t.equal(errors.isUnavailable(failure), true)
})

t.test('a store whose file was removed fails as unavailable rather than write where no one reads', async (t) => {
  const { db, filename, write } = openNotes(t)
  await rm(filename)
  const failure = await write(() => db.prepare("INSERT INTO notes VALUES ('lost')").run()).catch((error: unknown) => error)
  t.match(failure, { code: 'NOTE_FILE_MOVED', statusCode: 503 })
  t.equal(errors.isUnavailable(failure), true)
})

t.test('a constraint broken is the request, not unavailability', async (t) => {
  const { db, write } = openNotes(t)
  const failure = await write(() => db.prepare('INSERT INTO notes VALUES (NULL)').run()).catch((error: unknown) => error)
  t.match(failure, { code: 'SQLITE_CONSTRAINT_NOTNULL' })
  t.equal(errors.isUnavailable(failure), false)
})

t.test('writes asked for together commit in one transaction, and one that fails undoes only itself', async (t) => {
  const { db, write, serve } = openNotes(t)
  const insert = (id: string | null) => () => db.prepare('INSERT INTO notes VALUES (?)').run(id).changes
  db.pragma('wal_checkpoint(TRUNCATE)')
  const outcomes = await Promise.allSettled([write(insert('a')), write(insert(null)), write(insert('b'))])
  t.same(outcomes.map((outcome) => outcome.status), ['fulfilled', 'rejected', 'fulfilled'])
  t.match(outcomes[1], { reason: { code: 'SQLITE_CONSTRAINT_NOTNULL' } })
  t.same(await serve(() => db.prepare('SELECT id FROM notes ORDER BY id').pluck().all()), ['a', 'b'])
  t.match(db.pragma('wal_checkpoint(PASSIVE)'), [{ log: 1 }], 'the table’s page went to the log once: one commit, not one per write')
})

t.test('a write answers only once its transaction has committed', async (t) => {
  const { db, filename, write } = openNotes(t)
  const written = write(() => db.prepare("INSERT INTO notes VALUES ('a')").run())
  const other = openDatabase(filename, '')
  t.teardown(() => other.close())
  t.same(other.prepare('SELECT id FROM notes').all(), [], 'nothing is committed while the write is queued')
  await written
  t.same(other.prepare('SELECT id FROM notes').all(), [{ id: 'a' }])
})

t.test('when the file was removed, every write queued with others fails as unavailable', async (t) => {
  const { db, filename, write } = openNotes(t)
  const writes = [write(() => db.prepare("INSERT INTO notes VALUES ('a')").run()), write(() => db.prepare("INSERT INTO notes VALUES ('b')").run())]
  rmSync(filename)
  const failures = await Promise.all(writes.map((written) => written.catch((error: unknown) => error)))
  t.match(failures, [{ code: 'NOTE_FILE_MOVED' }, { code: 'NOTE_FILE_MOVED' }])
})
