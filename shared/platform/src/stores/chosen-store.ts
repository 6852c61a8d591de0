import { unavailableOnFailure } from '../runtime/dependencies.js'
import { isMongoUnavailable } from './mongo-errors.js'

/** Where a service keeps what it owns: MongoDB when a URL is given, otherwise its own embedded file in DATA_DIR. */
export interface StoreSettings {
  MONGO_URL?: string | undefined
  MONGO_DB: string
  DATA_DIR: string
}

/** How one store opens on each back-end, and which SQLite failures mean it cannot serve now. */
export interface StoreBackends<S> {
  mongo: (options: { url: string; dbName: string }) => Promise<S>
  sqlite: (options: { dataDir: string }) => Promise<S>
  isSqliteUnavailable: (err: unknown) => boolean
}

/**
 * The store `settings` choose. A failure that means it cannot serve now (unreachable, busy, its file out of reach)
 * becomes DependencyUnavailableError naming `what`.
 */
export async function openChosenStore<S extends object>(what: string, settings: StoreSettings, backends: StoreBackends<S>): Promise<S> {
  return settings.MONGO_URL
    ? unavailableOnFailure(what, await backends.mongo({ url: settings.MONGO_URL, dbName: settings.MONGO_DB }), isMongoUnavailable)
    : unavailableOnFailure(what, await backends.sqlite({ dataDir: settings.DATA_DIR }), backends.isSqliteUnavailable)
}
