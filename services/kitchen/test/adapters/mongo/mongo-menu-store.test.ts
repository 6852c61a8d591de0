import { MongoClient } from 'mongodb'
import t, { type Test } from 'tap'
import { buildMenuItem } from '@restaurant/contracts/testing'
import { isMongoUnavailable } from '@restaurant/platform/stores/mongo-errors'
import { menuCollectionsOf } from '../../../src/adapters/mongo/mongo-menu-store.js'
import { versionId, type MenuItemDocument, type MenuVersionDocument } from '../../../src/adapters/mongo/mongo-menu-versions.js'
import { menuStoreContract } from '../menu-store.contract.js'
import { makeReopenableMenuStore } from './mongo-menu-test-store.js'
import { dbName } from './mongo-test-store.js'

const url = process.env.MONGO_URL

/** The tests' database, through a client of the test's own, to leave in it what a writer that died left. */
async function databaseOf(t: Test, mongoUrl: string) {
  const client = new MongoClient(mongoUrl)
  t.teardown(() => client.close())
  return client.db(dbName)
}

t.test('MongoDB menu store', { skip: url ? false : 'MONGO_URL is not set: no MongoDB server on this machine' }, (t) => {
  if (!url) return t.end()
  menuStoreContract(t, {
    makeStore: async (t) => (await makeReopenableMenuStore(t, url)).store,
    makeReopenableStore: (t) => makeReopenableMenuStore(t, url),
  })

  t.test('a writer that died between winning a version and making it current does not wedge the item', async (t) => {
    const { store, collectionPrefix } = await makeReopenableMenuStore(t, url)
    const first = buildMenuItem({ id: 'wedged' })
    await store.write(first)
    const died = { ...first, priceCents: 1500, version: 2, changedBy: 'died' }
    // What the dead writer left: its version won, the current state not yet written.
    const db = await databaseOf(t, url)
    await db.collection<MenuVersionDocument>(menuCollectionsOf(collectionPrefix).versions).insertOne({ _id: versionId(died), item: died, position: 0 })
    t.strictSame(await store.items(), [first], 'the current state is a version behind')

    t.equal(await store.write({ ...died, changedBy: 'next' }), false, 'the next writer of that version loses it')
    t.strictSame(await store.items(), [died], 'and has made the won version current')
    const third = { ...died, version: 3, changedBy: 'after' }
    t.equal(await store.write(third), true, 'so the item can be changed again')
    t.strictSame(await store.history('wedged'), [first, died, third])
  })

  t.test('a seed whose kitchen died midway is finished by the next kitchen to start', async (t) => {
    const { store, collectionPrefix } = await makeReopenableMenuStore(t, url)
    const seedA = buildMenuItem({ id: 'seed-a' })
    const seed = [seedA, buildMenuItem({ id: 'seed-b' }), buildMenuItem({ id: 'seed-c' })]
    // What the dead kitchen left: the first item stored, the seed not recorded as complete.
    const first = { _id: versionId(seedA), item: seedA, position: 0 }
    const db = await databaseOf(t, url)
    await db.collection<MenuVersionDocument>(menuCollectionsOf(collectionPrefix).versions).insertOne(first)
    await db.collection<MenuItemDocument>(menuCollectionsOf(collectionPrefix).items).insertOne({ ...first, _id: 'seed-a' })
    t.equal(await store.seedIfEmpty(seed), true)
    t.strictSame(await store.items(), seed)
  })

  t.test('a closed store fails as unavailable', async (t) => {
    const { store } = await makeReopenableMenuStore(t, url)
    await store.close()
    t.ok(isMongoUnavailable(await store.items().catch((error: unknown) => error)))
  })
  t.end()
})
