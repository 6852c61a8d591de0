import { createMongoTicketStore } from '../../src/adapters/mongo/mongo-ticket-store.js'
import { createSqliteTicketStore } from '../../src/adapters/sqlite/sqlite-ticket-store.js'
import type { TicketStore } from '../../src/use-cases/ticket-store.js'

/** What another process needs to open the same store: plain data, passed as JSON. */
export type StoreSpec = { kind: 'sqlite'; dataDir: string } | { kind: 'mongo'; url: string; dbName: string; collectionName: string }

export function openStore(spec: StoreSpec): Promise<TicketStore> {
  return spec.kind === 'sqlite' ? createSqliteTicketStore({ dataDir: spec.dataDir }) : createMongoTicketStore(spec)
}
