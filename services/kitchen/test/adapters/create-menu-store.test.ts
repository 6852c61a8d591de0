import t from 'tap'
import { buildMenuItem } from '@restaurant/contracts/testing'
import { createMenuStore } from '../../src/adapters/create-menu-store.js'

t.test('without a MongoDB URL the menu store is the embedded one in DATA_DIR, and its failures to serve say the store is out of reach', async (t) => {
  const store = await createMenuStore({ MONGO_DB: 'unused', DATA_DIR: t.testdir() })
  const item = buildMenuItem({ id: 'dish' })
  t.equal(await store.write(item), true)
  t.strictSame(await store.items(), [item])
  await store.close()
  await t.rejects(store.items(), { code: 'DEPENDENCY_UNAVAILABLE' })
})
