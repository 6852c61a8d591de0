import { randomUUID } from 'node:crypto'
import { MongoClient } from 'mongodb'
import t from 'tap'
import { mongoClaims, mongoWitness, type ClaimDocument, type UnitEndDocument, type WitnessDocument } from '../../../src/adapters/mongo/mongo-kitchen-record.js'
import { dbName } from './mongo-test-store.js'

const url = process.env.MONGO_URL

t.test('claims and the witness are kept under `_id`s of their order, claim and unit', { skip: url ? false : 'MONGO_URL is not set' }, async (t) => {
  if (!url) return
  const client = await new MongoClient(url).connect()
  const name = `record-${randomUUID()}`
  t.teardown(async () => {
    for (const collection of [`${name}.claims`, `${name}.witness`, `${name}.unit-ends`]) await client.db(dbName).collection(collection).drop().catch(() => undefined)
    await client.close()
  })
  const claimsCollection = client.db(dbName).collection<ClaimDocument>(`${name}.claims`)
  const claims = mongoClaims(claimsCollection)
  const claim = { orderId: 'o', number: 1, holder: 'k/1', kitchen: 'k', startedAt: 's', lease: 'l' }
  t.equal(await claims.insertClaim(claim), true)
  t.match(await claimsCollection.findOne({ _id: 'o#1' }), claim)
  await claims.updateClaim('o', 1, {})
  t.strictSame(await claims.claims('o'), [claim], 'a change of nothing changes nothing')
  const witnessCollection = client.db(dbName).collection<WitnessDocument>(`${name}.witness`)
  const lines = [{ menuItemId: 'fries', name: 'Fries', station: 'fry' as const, quantity: 2, unitPriceCents: 1, lineTotalCents: 2 }]
  const endsCollection = client.db(dbName).collection<UnitEndDocument>(`${name}.unit-ends`)
  const witness = mongoWitness({ starts: witnessCollection, ends: endsCollection }, async () => [1], async () => lines)
  const started = { kitchen: 'k', unit: 1, menuItemId: 'fries', startedAt: 's' }
  await witness.recordUnit('o', 1, started)
  await witness.recordUnit('o', 1, started)
  t.equal(await witness.settleUnit('o', 1, 1, { endedAt: 'e' }), true)
  t.match(await witnessCollection.findOne({ _id: 'o#1#1' }), { orderId: 'o', claim: 1, startedAt: 's' })
  t.strictSame(await endsCollection.findOne({ _id: 'o#1#1' }), { _id: 'o#1#1', endedAt: 'e' }, 'the settlement under the same `_id`, beside it')
  t.strictSame(await witness.cookedUnits('o'), [{ ...started, endedAt: 'e' }], 'every unit of every claim is looked up by `_id`, start and end')
})
