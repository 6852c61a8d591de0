import { createMongoMenuStore } from '../../src/adapters/mongo/mongo-menu-store.js'
import { createMongoTicketStore } from '../../src/adapters/mongo/mongo-ticket-store.js'
import { createSqliteMenuStore } from '../../src/adapters/sqlite/sqlite-menu-store.js'
import { createSqliteTicketStore } from '../../src/adapters/sqlite/sqlite-ticket-store.js'
import type { MenuStore } from '../../src/use-cases/menu-store.js'
import type { TicketStore } from '../../src/use-cases/ticket-store.js'

/** What another process needs to open the same store: plain data, passed as JSON. */
export type StoreSpec = { kind: 'sqlite'; dataDir: string } | { kind: 'mongo'; url: string; dbName: string; collectionName: string }

export function openStore(spec: StoreSpec): Promise<TicketStore> {
  return spec.kind === 'sqlite' ? createSqliteTicketStore({ dataDir: spec.dataDir }) : createMongoTicketStore(spec)
}

/** The same for a menu store; the MongoDB one's collections begin with `collectionPrefix`. */
export type MenuStoreSpec = { kind: 'sqlite'; dataDir: string } | { kind: 'mongo'; url: string; dbName: string; collectionPrefix: string }

export function openMenuStore(spec: MenuStoreSpec): Promise<MenuStore> {
  return spec.kind === 'sqlite' ? createSqliteMenuStore({ dataDir: spec.dataDir }) : createMongoMenuStore(spec)
}
