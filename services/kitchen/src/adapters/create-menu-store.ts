import { unavailableOnFailure } from '@restaurant/platform/runtime/dependencies'
import { isMongoUnavailable } from '@restaurant/platform/stores/mongo-errors'
import type { MenuStore } from '../use-cases/menu-store.js'
import type { TicketStoreConfig } from './create-ticket-store.js'
import { createMongoMenuStore } from './mongo/mongo-menu-store.js'
import { createSqliteMenuStore, isSqliteMenuUnavailable } from './sqlite/sqlite-menu-store.js'

/** The same settings as the ticket store's: the menu is kept beside the tickets. */
export type MenuStoreConfig = TicketStoreConfig

/**
 * The menu's store, where the tickets are: MongoDB when a URL is configured (collections `menu_items`,
 * `menu_item_versions` and `menu_seed`), otherwise the embedded SQLite store in DATA_DIR (`menu.sqlite`). A
 * failure that means the store cannot serve becomes DependencyUnavailableError.
 */
export async function createMenuStore(config: MenuStoreConfig): Promise<MenuStore> {
  return config.MONGO_URL
    ? unavailableOnFailure('the menu store', await createMongoMenuStore({ url: config.MONGO_URL, dbName: config.MONGO_DB }), isMongoUnavailable)
    : unavailableOnFailure('the menu store', await createSqliteMenuStore({ dataDir: config.DATA_DIR }), isSqliteMenuUnavailable)
}
