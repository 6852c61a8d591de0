import { randomUUID } from 'node:crypto'
import { MongoClient } from 'mongodb'
import type { Test } from 'tap'
import { createMongoTicketStore } from '../../../src/adapters/mongo/mongo-ticket-store.js'
import { claimsCollectionOf, leasesCollectionOf, stepsCollectionOf, witnessCollectionOf } from '../../../src/adapters/mongo/mongo-ticket-documents.js'
import type { TicketStore } from '../../../src/use-cases/ticket-store.js'
import type { StoreSpec } from '../store-spec.js'

export const dbName = 'kitchen-contract-tests'

/** A store over a collection unique to the test, dropped once every store opened over it is closed. */
export async function makeReopenableStore(t: Test, mongoUrl: string) {
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
