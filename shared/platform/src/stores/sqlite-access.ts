import { statSync, type Stats } from 'node:fs'
import createError from '@fastify/error'
import Database from 'better-sqlite3'

/** Result codes (primary or extended) that say the file cannot be served now, rather than that the request was wrong. */
const UNAVAILABLE_CODES = ['SQLITE_BUSY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_FULL', 'SQLITE_READONLY']

export function isUnservableSqliteError(err: unknown): boolean {
  return err instanceof Database.SqliteError && UNAVAILABLE_CODES.some((code) => err.code === code || err.code.startsWith(`${code}_`))
}

/** What a store fails with once closed, and once the file at its path is no longer the one it opened. */
export interface AccessErrors {
  closed: () => Error
  moved: (filename: string) => Error
}

/**
 * The errors of one embedded store (`code` 'TICKET' gives `TICKET_STORE_CLOSED`, `TICKET_FILE_MOVED`), both 503, and
 * the test of whether a failure means the store cannot serve now. Moved: its folder was moved, replaced or removed.
 */
export function storeFileErrors(code: string, what: string) {
  const StoreClosedError = createError(`${code}_STORE_CLOSED`, `The ${what} store is closed`, 503)
  const FileMovedError = createError(`${code}_FILE_MOVED`, `The ${what} database is no longer at %s`, 503)
  const access: AccessErrors = { closed: () => new StoreClosedError(), moved: (filename) => new FileMovedError(filename) }
  const isUnavailable = (err: unknown) => err instanceof StoreClosedError || err instanceof FileMovedError || isUnservableSqliteError(err)
  return { StoreClosedError, FileMovedError, access, isUnavailable }
}

export type GuardedAccess = ReturnType<typeof guardedAccess>

interface QueuedWrite {
  change: () => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

/**
 * Runs reads, and writes in immediate transactions, on the open database while the file at its path is still the one
 * it opened: if its folder was moved, replaced or removed, writing on to the open file would write where no one will
 * read. Writes asked for in one turn of the event loop commit together (group commit): a transaction costs far more
 * than the rows in it. Each runs in a savepoint of its own, so one that throws undoes only itself, and each answers
 * only once the transaction holding it has committed.
 */
export function guardedAccess(db: Database.Database, filename: string, errors: AccessErrors) {
  const opened = statSync(filename)
  const check = () => {
    if (!db.open) throw errors.closed()
    if (!sameFile(opened, filename)) throw errors.moved(filename)
  }
  const serve = async <T>(read: () => T): Promise<T> => {
    check()
    return read()
  }
  let queued: QueuedWrite[] = []
  const commitQueued = () => {
    const batch = queued
    queued = []
    const outcomes: (() => void)[] = []
    try {
      check()
      db.transaction(() => {
        for (const { change, resolve, reject } of batch) {
          try {
            const value = db.transaction(change)()
            outcomes.push(() => resolve(value))
          } catch (error) {
            outcomes.push(() => reject(error))
          }
        }
      }).immediate()
    } catch (error) {
      for (const { reject } of batch) reject(error)
      return
    }
    for (const answer of outcomes) answer()
  }
  const write = <T>(change: () => T) =>
    new Promise<T>((resolve, reject) => {
      if (queued.push({ change, resolve: resolve as (value: unknown) => void, reject }) === 1) setImmediate(commitQueued)
    })
  return { serve, write }
}

function sameFile(opened: Stats, filename: string): boolean {
  try {
    const now = statSync(filename)
    return now.ino === opened.ino && now.dev === opened.dev
  } catch {
    return false
  }
}
