import Database from 'better-sqlite3'

/** Opens (creating it if need be) the ticket database. */
export function openTicketDatabase(filename: string, nativeBinding?: string): Database.Database {
  return openDatabase(filename, SCHEMA, nativeBinding)
}

/**
 * Opens (creating it if need be) a kitchen database and creates its tables (`schema`). WAL lets several kitchen
 * processes on one machine share the file: readers never wait, writers take turns, each waiting up to
 * `BUSY_TIMEOUT_MS` for the lock.
 */
export function openDatabase(filename: string, schema: string, nativeBinding?: string): Database.Database {
  const db = newDatabase(filename, nativeBinding)
  try {
    db.pragma('journal_mode = WAL')
    // In WAL mode NORMAL never corrupts the file and a process crash loses nothing; a power cut may lose the
    // last commits. FULL would fsync every commit: see the README's figures.
    db.pragma('synchronous = NORMAL')
    db.exec(schema)
  } catch (error) {
    db.close()
    throw error
  }
  return db
}

const BUSY_TIMEOUT_MS = 5000

/** The native part of better-sqlite3 loads on the first open: a missing build fails here, and says what to do. */
function newDatabase(filename: string, nativeBinding: string | undefined): Database.Database {
  try {
    return new Database(filename, { timeout: BUSY_TIMEOUT_MS, ...(nativeBinding === undefined ? {} : { nativeBinding }) })
  } catch (error) {
    if (error instanceof Database.SqliteError) throw error
    throw new Error('better-sqlite3 has no native build for this Node.js: run `pnpm rebuild better-sqlite3` (it needs python3, make and g++)', { cause: error })
  }
}

// `placed_at`, `status` and `owner` copy fields of the order for the list's indexes; `order_json` is the order.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS tickets (
  order_id TEXT PRIMARY KEY NOT NULL,
  placed_at TEXT NOT NULL,
  status TEXT NOT NULL,
  owner TEXT,
  order_json TEXT NOT NULL,
  fingerprint TEXT,
  committed_by INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tickets_newest ON tickets (placed_at DESC, order_id DESC);
CREATE INDEX IF NOT EXISTS tickets_by_status ON tickets (status, placed_at DESC, order_id DESC);
CREATE INDEX IF NOT EXISTS tickets_by_owner ON tickets (owner, placed_at DESC, order_id DESC);
CREATE TABLE IF NOT EXISTS claims (
  order_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  holder TEXT NOT NULL,
  kitchen TEXT NOT NULL,
  started_at TEXT NOT NULL,
  lease TEXT NOT NULL,
  abandoned_at TEXT,
  PRIMARY KEY (order_id, number)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS leases (
  id TEXT PRIMARY KEY NOT NULL,
  kitchen TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS witness (
  order_id TEXT NOT NULL,
  claim INTEGER NOT NULL,
  unit INTEGER NOT NULL,
  kitchen TEXT NOT NULL,
  menu_item_id TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  abandoned_at TEXT,
  PRIMARY KEY (order_id, claim, unit)
) WITHOUT ROWID;
`
