import { openChosenStore, type StoreSettings } from '@restaurant/platform/stores/chosen-store'
import type { MenuStore } from '../use-cases/menu-store.js'
import { createMongoMenuStore } from './mongo/mongo-menu-store.js'
import { createSqliteMenuStore, isSqliteMenuUnavailable } from './sqlite/sqlite-menu-store.js'

/**
 * The menu's store, where the tickets are: MongoDB when a URL is configured (collections `menu_items`,
 * `menu_item_versions` and `menu_seed`), otherwise the embedded SQLite store in DATA_DIR (`menu.sqlite`). A
 * failure that means the store cannot serve becomes DependencyUnavailableError.
 */
export function createMenuStore(config: StoreSettings): Promise<MenuStore> {
  return openChosenStore('the menu store', config, { mongo: createMongoMenuStore, sqlite: createSqliteMenuStore, isSqliteUnavailable: isSqliteMenuUnavailable })
}
