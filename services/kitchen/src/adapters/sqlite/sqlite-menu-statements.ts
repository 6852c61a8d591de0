import type Database from 'better-sqlite3'
import type { MenuItem } from '@restaurant/contracts/menu'

/**
 * The menu database: each item's current state, `seq` numbering items in the order they were first stored (an
 * upsert keeps it), and every state each item has had, one row per version.
 */
export const MENU_SCHEMA = `
CREATE TABLE IF NOT EXISTS menu_items (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  item_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS menu_item_versions (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  item_json TEXT NOT NULL,
  PRIMARY KEY (id, version)
) WITHOUT ROWID;
`

interface ItemRow {
  id: string
  version: number
  item_json: string
}

const rowOf = (item: MenuItem): ItemRow => ({ id: item.id, version: item.version, item_json: JSON.stringify(item) })
const itemOf = (row: Pick<ItemRow, 'item_json'>): MenuItem => JSON.parse(row.item_json) as MenuItem

/** The menu store's statements, prepared once, as functions of the contract's types; the caller holds the transaction. */
export function menuStatements(db: Database.Database) {
  const items = db.prepare<[], Pick<ItemRow, 'item_json'>>('SELECT item_json FROM menu_items ORDER BY seq')
  const anyItem = db.prepare<[], { found: 1 }>('SELECT 1 AS found FROM menu_items LIMIT 1')
  const storedVersion = db.prepare<[string], Pick<ItemRow, 'version'>>('SELECT version FROM menu_items WHERE id = ?')
  const insertVersion = db.prepare<ItemRow>('INSERT INTO menu_item_versions VALUES (@id, @version, @item_json) ON CONFLICT DO NOTHING')
  const upsertItem = db.prepare<ItemRow>(
    `INSERT INTO menu_items (id, version, item_json) VALUES (@id, @version, @item_json)
     ON CONFLICT (id) DO UPDATE SET version = excluded.version, item_json = excluded.item_json`,
  )
  const history = db.prepare<[string], Pick<ItemRow, 'item_json'>>('SELECT item_json FROM menu_item_versions WHERE id = ? ORDER BY version')
  return {
    items: () => items.all().map(itemOf),
    isEmpty: () => anyItem.get() === undefined,
    /** 0 for an item never stored. */
    storedVersion: (id: string) => storedVersion.get(id)?.version ?? 0,
    /** Keeps the state in the history and makes it the current one; false when its version was already stored. */
    store: (item: MenuItem) => {
      const row = rowOf(item)
      if (insertVersion.run(row).changes === 0) return false
      upsertItem.run(row)
      return true
    },
    history: (id: string) => history.all(id).map(itemOf),
  }
}
