import { MongoClient, type Db, type IndexSpecification, type CreateIndexesOptions } from 'mongodb'

export interface StoreIndex {
  collection: string
  key: IndexSpecification
  options?: CreateIndexesOptions
}

/**
 * A store's connection: majority writes, and an absent optional field left out rather than written as `null`
 * (which would come back as `null`). Its indexes are created before it serves, one at a time: FerretDB 1.24 drops
 * the connection when a batch of indexes that all exist is created again. If that fails, the client is closed.
 */
export async function connectStore(url: string, dbName: string, indexes: readonly StoreIndex[]): Promise<{ client: MongoClient; db: Db }> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000, writeConcern: { w: 'majority' }, ignoreUndefined: true })
  await client.connect()
  const db = client.db(dbName)
  try {
    for (const { collection, key, options } of indexes) await db.collection(collection).createIndex(key, options ?? {})
  } catch (error) {
    await client.close()
    throw error
  }
  return { client, db }
}
