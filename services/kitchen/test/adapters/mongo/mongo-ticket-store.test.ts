import t from 'tap'
import { makeReopenableStore } from './mongo-test-store.js'
import { ticketStoreContract } from '../ticket-store.contract.js'

const url = process.env.MONGO_URL

t.test('MongoDB ticket store', { skip: url ? false : 'MONGO_URL is not set: no MongoDB server on this machine' }, (t) => {
  if (!url) return t.end()
  ticketStoreContract(t, {
    makeStore: async (t) => (await makeReopenableStore(t, url)).store,
    makeReopenableStore: (t) => makeReopenableStore(t, url),
  })
  t.end()
})
