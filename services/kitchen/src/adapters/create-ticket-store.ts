import { openChosenStore, type StoreSettings } from '@restaurant/platform/stores/chosen-store'
import type { TicketStore } from '../use-cases/ticket-store.js'
import { createMongoTicketStore } from './mongo/mongo-ticket-store.js'
import { createSqliteTicketStore, isSqliteUnavailable } from './sqlite/sqlite-ticket-store.js'

/** MongoDB when a URL is configured, otherwise the embedded SQLite store in DATA_DIR. */
export function createTicketStore(config: StoreSettings): Promise<TicketStore> {
  return openChosenStore('the ticket store', config, { mongo: createMongoTicketStore, sqlite: createSqliteTicketStore, isSqliteUnavailable })
}
