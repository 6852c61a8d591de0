import { randomUUID } from 'node:crypto'
import { MongoClient } from 'mongodb'
import type { Test } from 'tap'
import { createMongoMenuStore, menuCollectionsOf } from '../../../src/adapters/mongo/mongo-menu-store.js'
import type { MenuStore } from '../../../src/use-cases/menu-store.js'
import type { MenuStoreSpec } from '../store-spec.js'
import { dbName } from './mongo-test-store.js'

/** A menu store over collections unique to the test, dropped once every store opened over them is closed. */
export async function makeReopenableMenuStore(t: Test, mongoUrl: string) {
  const collectionPrefix = `test-${randomUUID()}-`
  const opened: MenuStore[] = []
  t.teardown(async () => {
    for (const store of opened) await store.close()
    await dropCollections(mongoUrl, collectionPrefix)
  })
  const open = async () => {
    const store = await createMongoMenuStore({ url: mongoUrl, dbName, collectionPrefix })
    opened.push(store)
    return store
  }
  const spec: MenuStoreSpec = { kind: 'mongo', url: mongoUrl, dbName, collectionPrefix }
  return { store: await open(), reopen: open, spec, collectionPrefix }
}

async function dropCollections(mongoUrl: string, collectionPrefix: string): Promise<void> {
  const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5000 })
  try {
    // The seed's collection exists only once a seed was completed.
    for (const name of Object.values(menuCollectionsOf(collectionPrefix))) await client.db(dbName).collection(name).drop().catch(() => undefined)
  } finally {
    await client.close()
  }
}
