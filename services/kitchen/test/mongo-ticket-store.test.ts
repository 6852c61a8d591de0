import { randomUUID } from 'node:crypto'
import { MongoClient, MongoNetworkError, MongoServerError } from 'mongodb'
import t, { type Test } from 'tap'
import type { Order } from '@restaurant/contracts'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { claimsCollectionOf, createMongoTicketStore, isMongoUnavailable, leasesCollectionOf, stepsCollectionOf, witnessCollectionOf } from '../src/mongo-ticket-store.js'
import type { TicketStore } from '../src/ticket-store.js'
import type { StoreSpec } from './store-spec.js'
import { ticketStoreContract } from './ticket-store.contract.js'

const url = process.env.MONGO_URL
const dbName = 'kitchen-contract-tests'

/** A store over a collection unique to the test, dropped once every store opened over it is closed. */
async function makeReopenableStore(t: Test, mongoUrl: string) {
  const collectionName = `tickets-${randomUUID()}`
  const opened: TicketStore[] = []
  t.teardown(async () => {
    for (const store of opened) await store.close()
    await dropCollection(mongoUrl, collectionName)
  })
  const open = async () => {
    const store = await createMongoTicketStore({ url: mongoUrl, dbName, collectionName })
    opened.push(store)
    return store
  }
  const spec: StoreSpec = { kind: 'mongo', url: mongoUrl, dbName, collectionName }
  return { store: await open(), reopen: open, spec, collectionName }
}

async function dropCollection(mongoUrl: string, collectionName: string): Promise<void> {
  const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5000 })
  try {
    await client.db(dbName).collection(collectionName).drop()
    // These exist only once something was written to them.
    for (const name of [stepsCollectionOf, claimsCollectionOf, leasesCollectionOf, witnessCollectionOf].map((of) => of(collectionName))) {
      await client.db(dbName).collection(name).drop().catch(() => undefined)
    }
  } finally {
    await client.close()
  }
}

t.test('MongoDB ticket store', { skip: url ? false : 'MONGO_URL is not set: no MongoDB server on this machine' }, (t) => {
  if (!url) return t.end()
  ticketStoreContract(t, {
    makeStore: async (t) => (await makeReopenableStore(t, url)).store,
    makeReopenableStore: (t) => makeReopenableStore(t, url),
  })
  t.end()
})

t.test('a step won by a writer that died before writing its ticket is written by the next writer, which loses it, and the order goes on from it', { skip: url ? false : 'MONGO_URL is not set' }, async (t) => {
  if (!url) return
  const { store, collectionName } = await makeReopenableStore(t, url)
  const placed = buildOrder()
  await store.insertIfAbsent({ order: placed })
  const accepted = withStatus(placed, 'accepted')
  const client = new MongoClient(url)
  t.teardown(() => client.close())
  await client.db(dbName).collection<{ _id: string; order: Order; committedBy: number }>(stepsCollectionOf(collectionName)).insertOne({ _id: `${placed.id}@2`, order: accepted, committedBy: 1 })
  t.strictSame(await store.get(placed.id), { order: placed }, 'a step behind until a writer comes')
  t.equal(await store.replaceIfStatus(withStatus(placed, 'cancelled'), 'placed'), false, 'no second step from placed')
  t.strictSame(await store.get(placed.id), { order: accepted, committedBy: 1 }, 'the losing writer wrote the step, with its claim')
  const cooking = withStatus(accepted, 'cooking')
  t.equal(await store.replaceIfStatus(cooking, 'accepted'), true, 'the next step follows it')
  t.strictSame(await store.list({ status: 'cooking', limit: 10 }), [cooking])
})

t.test('a server that cannot serve now is unavailable; a request the server refuses is not', async (t) => {
  const busy = new MongoServerError({ errmsg: '[collection.go:177 sqlite.(*collection).UpdateAll.func1] database is locked (5) (SQLITE_BUSY)', code: 1 })
  t.equal(isMongoUnavailable(busy), true, "FerretDB's SQLite locked past its wait")
  t.equal(isMongoUnavailable(new MongoNetworkError('connection reset')), true)
  t.equal(isMongoUnavailable(new MongoServerError({ errmsg: 'E11000 duplicate key error', code: 11000 })), false)
  t.equal(isMongoUnavailable(new Error('a bug')), false)
})
