import type { AuditRecord } from '@restaurant/contracts/audit'
import type { AuditLog } from '../audit/audit-log.js'
import { connectStore, type StoreIndex } from './mongo-connection.js'

type AuditDocument = { _id: string; at: string; action: string; actor: string; record: AuditRecord }

export const AUDIT_COLLECTION = 'audit_log'

const INDEXES: readonly StoreIndex[] = [
  { collection: AUDIT_COLLECTION, key: { action: 1, _id: -1 } },
  { collection: AUDIT_COLLECTION, key: { actor: 1, _id: -1 } },
  { collection: AUDIT_COLLECTION, key: { at: 1 } },
]

/**
 * The MongoDB audit log: a document per record, `_id` its id. Only inserted and read here; a deployment that
 * wants the database to refuse changes too gives the services a role with insert and find alone on it.
 */
export async function createMongoAuditLog({ url, dbName }: { url: string; dbName: string }): Promise<AuditLog> {
  const { client, db } = await connectStore(url, dbName, INDEXES)
  const records = db.collection<AuditDocument>(AUDIT_COLLECTION)
  return {
    append: async (record) => void (await records.insertOne({ _id: record.id, at: record.at, action: record.action, actor: record.actor.subject, record })),
    async read({ action, actor, since, cursor, limit }) {
      const filter = {
        ...(action === undefined ? {} : { action }),
        ...(actor === undefined ? {} : { actor }),
        ...(since === undefined ? {} : { at: { $gte: since } }),
        ...(cursor === undefined ? {} : { _id: { $lt: cursor } }),
      }
      return (await records.find(filter).sort({ _id: -1 }).limit(limit).toArray()).map((doc) => doc.record)
    },
    close: () => client.close(),
  }
}
