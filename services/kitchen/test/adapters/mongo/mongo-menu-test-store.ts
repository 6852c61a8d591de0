import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { createMongoMenuStore, menuCollectionsOf } from '../../../src/adapters/mongo/mongo-menu-store.js'
import { reopenableStore } from '../../../../../shared/platform/test/stores/reopenable-store.js'
import type { MenuStoreSpec } from '../store-spec.js'
import { dbName, dropCollections } from './mongo-test-store.js'

/** A menu store over collections unique to the test, dropped once every store opened over them is closed. */
export async function makeReopenableMenuStore(t: Test, mongoUrl: string) {
  const collectionPrefix = `test-${randomUUID()}-`
  const opened = await reopenableStore(
    t,
    () => createMongoMenuStore({ url: mongoUrl, dbName, collectionPrefix }),
    () => dropCollections(mongoUrl, Object.values(menuCollectionsOf(collectionPrefix))),
  )
  const spec: MenuStoreSpec = { kind: 'mongo', url: mongoUrl, dbName, collectionPrefix }
  return { ...opened, spec, collectionPrefix }
}
