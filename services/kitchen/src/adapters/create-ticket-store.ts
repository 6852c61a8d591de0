import { unavailableOnFailure } from '@restaurant/platform/runtime/dependencies'
import { isMongoUnavailable } from '@restaurant/platform/stores/mongo-errors'
import type { TicketStore } from '../use-cases/ticket-store.js'
import { createMongoTicketStore } from './mongo/mongo-ticket-store.js'
import { createSqliteTicketStore, isSqliteUnavailable } from './sqlite/sqlite-ticket-store.js'

export interface TicketStoreConfig {
  MONGO_URL?: string | undefined
  MONGO_DB: string
  DATA_DIR: string
}

/**
 * MongoDB when a URL is configured, otherwise the embedded SQLite store in DATA_DIR. A failure that means the
 * store cannot serve (unreachable, busy, its file out of reach) becomes DependencyUnavailableError.
 */
export async function createTicketStore(config: TicketStoreConfig): Promise<TicketStore> {
  return config.MONGO_URL
    ? unavailableOnFailure('the ticket store', await createMongoTicketStore({ url: config.MONGO_URL, dbName: config.MONGO_DB }), isMongoUnavailable)
    : unavailableOnFailure('the ticket store', await createSqliteTicketStore({ dataDir: config.DATA_DIR }), isSqliteUnavailable)
}
