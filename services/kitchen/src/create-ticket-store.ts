import { createMongoTicketStore } from './mongo-ticket-store.js'
import { createNedbTicketStore } from './nedb-ticket-store.js'
import type { TicketStore } from './ticket-store.js'

export interface TicketStoreConfig {
  MONGO_URL?: string | undefined
  MONGO_DB: string
  DATA_DIR: string
}

/** MongoDB when a URL is configured, otherwise the embedded store in DATA_DIR. */
export function createTicketStore(config: TicketStoreConfig): Promise<TicketStore> {
  return config.MONGO_URL
    ? createMongoTicketStore({ url: config.MONGO_URL, dbName: config.MONGO_DB })
    : createNedbTicketStore({ dataDir: config.DATA_DIR })
}
