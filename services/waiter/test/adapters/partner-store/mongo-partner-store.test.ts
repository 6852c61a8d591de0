import t, { type Test } from 'tap'
import { createMongoPartnerStore, isMongoPartnerUnavailable } from '../../../src/adapters/partner-store/mongo-partner-store.js'
import { reopenableMongoStore } from '../../../../../shared/platform/test/stores/reopenable-store.js'
import { partnerStoreContract } from './partner-store.contract.js'

const url = process.env.MONGO_URL

/** A store over a database unique to the test, emptied once every store opened over it is closed. */
async function makeStore(t: Test, mongoUrl: string) {
  const opened = await reopenableMongoStore(t, mongoUrl, 'waiter-partners', createMongoPartnerStore)
  return { ...opened, spec: { kind: 'mongo' as const, url: mongoUrl, dbName: opened.dbName } }
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
