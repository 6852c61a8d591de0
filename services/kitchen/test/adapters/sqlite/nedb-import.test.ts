import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { createSqliteTicketStore } from '../../../src/adapters/sqlite/sqlite-ticket-store.js'

/** nedb's file format: one JSON document a line, appended; the last line of an `_id` wins. */
const line = (document: object) => `${JSON.stringify(document)}\n`
const documentOf = (_id: string, order: ReturnType<typeof buildOrder>, fingerprint?: string) =>
  ({ _id, orderId: order.id, placedAt: order.placedAt, status: order.status, order, ...(fingerprint === undefined ? {} : { fingerprint }) })

t.test("the former embedded store's file is imported as it ends, once, and set aside", async (t) => {
  const dataDir = t.testdir()
  const [kept, updated, deleted] = [buildOrder(), buildOrder(), buildOrder()]
  const accepted = withStatus(updated, 'accepted')
  const file = [
    line({ $$indexCreated: { fieldName: 'orderId', unique: true } }),
    line(documentOf('a', kept, 'fp-kept')),
    line(documentOf('b', updated)),
    line(documentOf('c', deleted)),
    line(documentOf('b', accepted)),
    line({ $$deleted: true, _id: 'c' }),
    '{"_id":"d","orderId":"torn by a cr',
  ].join('')
  await writeFile(join(dataDir, 'tickets.db'), file)
  const store = await createSqliteTicketStore({ dataDir })
  t.teardown(() => store.close())
  t.strictSame(await store.get(kept.id), { order: kept, fingerprint: 'fp-kept' })
  t.strictSame(await store.get(updated.id), { order: accepted })
  t.equal(await store.get(deleted.id), undefined)
  t.strictSame(await store.list({ limit: 10 }), [kept, accepted].sort((a, b) => (`${a.placedAt} ${a.id}` < `${b.placedAt} ${b.id}` ? 1 : -1)))
  t.notOk(existsSync(join(dataDir, 'tickets.db')), 'the old file is gone from its place')
  t.ok(existsSync(join(dataDir, 'tickets.db.migrated')), 'and kept beside it')
})

t.test('a store that already holds tickets imports nothing', async (t) => {
  const dataDir = t.testdir()
  const first = await createSqliteTicketStore({ dataDir })
  const existing = buildOrder()
  await first.insertIfAbsent({ order: existing })
  await first.close()
  const old = buildOrder()
  await writeFile(join(dataDir, 'tickets.db'), line(documentOf('a', old)))
  const store = await createSqliteTicketStore({ dataDir })
  t.teardown(() => store.close())
  t.equal(await store.get(old.id), undefined)
  t.strictSame(await store.list({ limit: 10 }), [existing])
})
