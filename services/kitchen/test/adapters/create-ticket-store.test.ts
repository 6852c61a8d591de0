import t from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { createTicketStore } from '../../src/adapters/create-ticket-store.js'

t.test('without a MongoDB URL the store is the embedded one in DATA_DIR, and its failures to serve say the store is out of reach', async (t) => {
  const store = await createTicketStore({ MONGO_DB: 'unused', DATA_DIR: t.testdir() })
  const order = buildOrder()
  await store.insertIfAbsent({ order })
  t.equal((await store.get(order.id))?.order.id, order.id)
  await store.close()
  await t.rejects(store.get(order.id), { code: 'DEPENDENCY_UNAVAILABLE' })
})
