import { randomUUID } from 'node:crypto'
import { MongoClient } from 'mongodb'
import type { Test } from 'tap'
import { createMongoTicketStore } from '../../../src/adapters/mongo/mongo-ticket-store.js'
import { claimsCollectionOf, leasesCollectionOf, stepsCollectionOf, unitEndsCollectionOf, witnessCollectionOf } from '../../../src/adapters/mongo/mongo-ticket-documents.js'
import { reopenableStore } from '../../../../../shared/platform/test/stores/reopenable-store.js'
import type { StoreSpec } from '../store-spec.js'

export const dbName = 'kitchen-contract-tests'

/** A store over a collection unique to the test, dropped once every store opened over it is closed. */
export async function makeReopenableStore(t: Test, mongoUrl: string) {
  const collectionName = `tickets-${randomUUID()}`
  // These exist only once something was written to them.
  const others = [stepsCollectionOf, claimsCollectionOf, leasesCollectionOf, witnessCollectionOf, unitEndsCollectionOf].map((of) => of(collectionName))
  const opened = await reopenableStore(t, () => createMongoTicketStore({ url: mongoUrl, dbName, collectionName }), () => dropCollections(mongoUrl, [collectionName, ...others]))
  const spec: StoreSpec = { kind: 'mongo', url: mongoUrl, dbName, collectionName }
  return { ...opened, spec, collectionName }
}

/** Drops the test's collections from the tests' database; one never written to is not there, and is passed over. */
export async function dropCollections(mongoUrl: string, names: readonly string[]): Promise<void> {
  const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5000 })
  try {
    for (const name of names) await client.db(dbName).collection(name).drop().catch(() => undefined)
  } finally {
    await client.close()
  }
}
