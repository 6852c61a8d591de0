import t, { type Test } from 'tap'
import { createMongoCredentialStore } from '../../../src/adapters/credential-store/mongo-credential-store.js'
import { reopenableMongoStore } from '../../../../../shared/platform/test/stores/reopenable-store.js'
import { credentialStoreContract } from './credential-store.contract.js'

const url = process.env.MONGO_URL

/** A store over a database unique to the test, emptied once every store opened over it is closed. */
const makeStore = (t: Test, mongoUrl: string) => reopenableMongoStore(t, mongoUrl, 'waiter-credentials', createMongoCredentialStore)

if (!url) console.log('# MongoDB credential store skipped: MONGO_URL is not set (CI sets it)')
t.test('MongoDB credential store', { skip: url ? false : 'MONGO_URL is not set: no MongoDB server on this machine' }, (t) => {
  if (!url) return t.end()
  credentialStoreContract(t, { makeStore: (t) => makeStore(t, url) })
  t.end()
})
