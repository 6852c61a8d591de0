import Database from 'better-sqlite3'

/**
 * Opens (creating it if need be) an embedded store's database and creates its tables (`schema`). WAL lets several
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
    // The savepoints of a group commit journal in memory, not in a temporary file written for each of them.
    db.pragma('temp_store = MEMORY')
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
