import { randomUUID } from 'node:crypto'
import { MongoClient } from 'mongodb'
import t, { type Test } from 'tap'
import { createMongoTicketStore } from '../src/mongo-ticket-store.js'
import type { TicketStore } from '../src/ticket-store.js'
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
  return { store: await open(), reopen: open }
}

async function dropCollection(mongoUrl: string, collectionName: string): Promise<void> {
  const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5000 })
  try {
    await client.db(dbName).collection(collectionName).drop()
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
