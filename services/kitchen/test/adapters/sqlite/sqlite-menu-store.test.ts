import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildMenuItem } from '@restaurant/contracts/testing'
import { createSqliteMenuStore, isSqliteMenuUnavailable } from '../../../src/adapters/sqlite/sqlite-menu-store.js'
import { menuStoreContract } from '../menu-store.contract.js'
import { reopenableStore } from '../../../../../shared/platform/test/stores/reopenable-store.js'
import type { MenuStoreSpec } from '../store-spec.js'

/** A store in a fresh temporary directory, removed once every store opened over it is closed. */
async function makeReopenableStore(t: Test) {
  const dataDir = await mkdtemp(join(tmpdir(), 'kitchen-menu-'))
  const opened = await reopenableStore(t, () => createSqliteMenuStore({ dataDir }), () => rm(dataDir, { recursive: true, force: true }))
  const spec: MenuStoreSpec = { kind: 'sqlite', dataDir }
  return { ...opened, spec, dataDir }
}

menuStoreContract(t, { makeStore: async (t) => (await makeReopenableStore(t)).store, makeReopenableStore })

t.test('a closed store fails as unavailable', async (t) => {
  const { store } = await makeReopenableStore(t)
  await store.close()
  t.ok(isSqliteMenuUnavailable(await store.items().catch((error: unknown) => error)))
})

t.test('a store whose file was removed fails as unavailable rather than write where no one reads', async (t) => {
  const { store, dataDir } = await makeReopenableStore(t)
  await rm(join(dataDir, 'menu.sqlite'))
  t.ok(isSqliteMenuUnavailable(await store.write(buildMenuItem({ id: 'lost' })).catch((error: unknown) => error)))
})

t.test('a constraint or programming error is not unavailability', async (t) => {
  const { store } = await makeReopenableStore(t)
  const broken = { ...buildMenuItem({ id: 'broken' }), id: undefined } as unknown as ReturnType<typeof buildMenuItem>
  const failure = await store.write(broken).catch((error: unknown) => error)
  t.match(failure, { code: 'SQLITE_CONSTRAINT_NOTNULL' })
  t.equal(isSqliteMenuUnavailable(failure), false)
})
