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
