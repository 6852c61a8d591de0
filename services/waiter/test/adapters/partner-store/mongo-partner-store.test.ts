import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import { emptyMongoDatabase } from '../../../../../test/support/isolation.js'
import { createMongoPartnerStore, isMongoPartnerUnavailable } from '../../../src/adapters/partner-store/mongo-partner-store.js'
import { reopenableStore } from '../../../../../shared/platform/test/stores/reopenable-store.js'
import { partnerStoreContract } from './partner-store.contract.js'

const url = process.env.MONGO_URL

/** A store over a database unique to the test, emptied once every store opened over it is closed. */
async function makeStore(t: Test, mongoUrl: string) {
  const dbName = `waiter-partners-${randomUUID()}`
  const opened = await reopenableStore(t, () => createMongoPartnerStore({ url: mongoUrl, dbName }), () => emptyMongoDatabase(mongoUrl, dbName))
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
