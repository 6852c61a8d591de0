import { storeFileErrors } from '@restaurant/platform/stores/sqlite-access'
import { openStoreFile } from '@restaurant/platform/stores/store-file'
import type { MenuStore } from '../../use-cases/menu-store.js'
import { MENU_SCHEMA, menuStatements } from './sqlite-menu-statements.js'

const menuFileErrors = storeFileErrors('MENU', 'menu')
export const isSqliteMenuUnavailable = menuFileErrors.isUnavailable

export interface SqliteMenuStoreOptions {
  dataDir: string
}

/**
 * The embedded menu store: its own SQLite database, `menu.sqlite` in `dataDir` beside the tickets', shared by
 * the kitchen processes of one machine (WAL). Every write is one `BEGIN IMMEDIATE` transaction that checks the
 * stored version, inserts the version row and updates the current one: of concurrent writers of a version, in
 * this process or another, exactly one wins.
 */
export async function createSqliteMenuStore({ dataDir }: SqliteMenuStoreOptions): Promise<MenuStore> {
  const { db, serve, write } = await openStoreFile(dataDir, 'menu.sqlite', MENU_SCHEMA, menuFileErrors.access)
  const sql = menuStatements(db)
  return {
    items: () => serve(() => sql.items()),
    seedIfEmpty: (items) =>
      write(() => {
        if (!sql.isEmpty()) return false
        for (const item of items) sql.store(item)
        return true
      }),
    write: (item) => write(() => sql.storedVersion(item.id) === item.version - 1 && sql.store(item)),
    history: (id) => serve(() => sql.history(id)),
    close: async () => {
      if (db.open) db.close()
    },
  }
}
