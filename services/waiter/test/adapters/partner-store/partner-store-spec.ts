import { createMongoPartnerStore } from '../../../src/adapters/partner-store/mongo-partner-store.js'
import { createSqlitePartnerStore } from '../../../src/adapters/partner-store/sqlite-partner-store.js'
import type { PartnerStore } from '../../../src/use-cases/partner-store.js'

/** What another process needs to open the same partner store: plain data, passed as JSON. */
export type PartnerStoreSpec = { kind: 'sqlite'; dataDir: string } | { kind: 'mongo'; url: string; dbName: string }

export function openPartnerStore(spec: PartnerStoreSpec): Promise<PartnerStore> {
  return spec.kind === 'sqlite' ? createSqlitePartnerStore(spec) : createMongoPartnerStore(spec)
}
