import { MongoClient } from 'mongodb'
import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { stepsCollectionOf } from '../../../src/adapters/mongo/mongo-ticket-documents.js'
import { dbName, makeReopenableStore } from './mongo-test-store.js'

const url = process.env.MONGO_URL

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
