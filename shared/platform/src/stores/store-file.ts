import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { guardedAccess, type AccessErrors } from './sqlite-access.js'
import { openDatabase } from './sqlite-database.js'

/** A store's own SQLite file, `name` in `dataDir` (made if missing), with its schema, and access guarded by `errors`. */
export async function openStoreFile(dataDir: string, name: string, schema: string, errors: AccessErrors): Promise<{ db: Database.Database } & ReturnType<typeof guardedAccess>> {
  await mkdir(dataDir, { recursive: true })
  const filename = join(dataDir, name)
  const db = openDatabase(filename, schema)
  return { db, ...guardedAccess(db, filename, errors) }
}
