import { randomUUID } from 'node:crypto'
import { MongoClient } from 'mongodb'
import t, { type Test } from 'tap'
import { createMongoPartnerStore, isMongoPartnerUnavailable } from '../../../src/adapters/partner-store/mongo-partner-store.js'
import { reopenableStore } from '../../../../../shared/platform/test/stores/reopenable-store.js'
import { partnerStoreContract } from './partner-store.contract.js'

const url = process.env.MONGO_URL

async function dropDatabase(mongoUrl: string, dbName: string): Promise<void> {
  const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5000 })
  try {
    await client.db(dbName).dropDatabase()
  } finally {
    await client.close()
  }
}

/** A store over a database unique to the test, dropped once every store opened over it is closed. */
async function makeStore(t: Test, mongoUrl: string) {
  const dbName = `waiter-partners-${randomUUID()}`
  const opened = await reopenableStore(t, () => createMongoPartnerStore({ url: mongoUrl, dbName }), () => dropDatabase(mongoUrl, dbName))
  return { ...opened, spec: { kind: 'mongo' as const, url: mongoUrl, dbName } }
}

if (!url) console.log('# MongoDB partner store skipped: MONGO_URL is not set (CI sets it)')
t.test('MongoDB partner store', { skip: url ? false : 'MONGO_URL is not set: no MongoDB server on this machine' }, (t) => {
  if (!url) return t.end()
  partnerStoreContract(t, { makeStore: (t) => makeStore(t, url) })

  t.test('a closed store fails as unavailable', async (t) => {
    const { store } = await makeStore(t, url)
    await store.close()
    t.ok(isMongoPartnerUnavailable(await store.feed.after(0, [], 10).catch((error: unknown) => error)))
  })
  t.end()
})
