import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { createSqliteTicketStore, isSqliteUnavailable } from '../../../src/adapters/sqlite/sqlite-ticket-store.js'
import { reopenableStore } from '../../../../../shared/platform/test/stores/reopenable-store.js'
import type { StoreSpec } from '../store-spec.js'
import { ticketStoreContract } from '../ticket-store.contract.js'

/** A store in a fresh temporary directory, removed once every store opened over it is closed. */
async function makeReopenableStore(t: Test) {
  const dataDir = await mkdtemp(join(tmpdir(), 'kitchen-tickets-'))
  const opened = await reopenableStore(t, () => createSqliteTicketStore({ dataDir }), () => rm(dataDir, { recursive: true, force: true }))
  const spec: StoreSpec = { kind: 'sqlite', dataDir }
  return { ...opened, spec, dataDir }
}

ticketStoreContract(t, {
  makeStore: async (t) => (await makeReopenableStore(t)).store,
  makeReopenableStore,
})

/** Puts a plain file where the store's folder was, as the store-outage fault test does; returns the repair. */
async function breakFolder(t: Test, dataDir: string) {
  await rename(dataDir, `${dataDir}.away`)
  await writeFile(dataDir, 'not a folder')
  t.teardown(() => rm(`${dataDir}.away`, { recursive: true, force: true }))
  return async () => {
    await rm(dataDir)
    await rename(`${dataDir}.away`, dataDir)
  }
}

t.test('a store whose folder was moved away serves nothing, as unavailable, and serves again once it is back', async (t) => {
  const { store, dataDir } = await makeReopenableStore(t)
  const kept = buildOrder()
  await store.insertIfAbsent({ order: kept })
  const repair = await breakFolder(t, dataDir)
  const refused = buildOrder()
  const failure = await store.insertIfAbsent({ order: refused }).catch((error: unknown) => error)
  t.ok(isSqliteUnavailable(failure), 'a write fails as unavailable')
  await t.rejects(store.get(kept.id), 'so does a read')
  await t.rejects(store.ping(), 'and the store is not ready')
  await repair()
  t.equal(await store.get(refused.id), undefined, 'the refused write was not stored')
  t.equal((await store.get(kept.id))?.order.id, kept.id, 'what was written is still there')
  t.equal((await store.insertIfAbsent({ order: refused })).created, true, 'the write succeeds once retried')
})

t.test('a closed store fails as unavailable', async (t) => {
  const { store } = await makeReopenableStore(t)
  await store.close()
  t.ok(isSqliteUnavailable(await store.get(buildOrder().id).catch((error: unknown) => error)))
})

t.test('a constraint or programming error is not unavailability', async (t) => {
  const { store } = await makeReopenableStore(t)
  const broken = { ...buildOrder(), placedAt: undefined } as unknown as ReturnType<typeof buildOrder>
  const failure = await store.insertIfAbsent({ order: broken }).catch((error: unknown) => error)
  t.match(failure, { code: 'SQLITE_CONSTRAINT_NOTNULL' })
  t.equal(isSqliteUnavailable(failure), false)
})

t.test('a start-up without the native build fails naming the fix', async (t) => {
  const dataDir = t.testdir()
  await t.rejects(createSqliteTicketStore({ dataDir, nativeBinding: join(dataDir, 'missing.node') }), /pnpm rebuild better-sqlite3/)
})
