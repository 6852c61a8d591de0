import { MongoError, MongoNetworkError, MongoNotConnectedError, MongoServerError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb'

const DUPLICATE_KEY = 11000
// FerretDB 1.x answers InternalError (code 1) with this text when its SQLite file stays locked by another write.
const FERRETDB_BUSY = /\(SQLITE_BUSY\)/

/** An insert refused by a unique key: the one way the store learns that another writer came first. */
export const isDuplicate = (error: unknown): boolean => error instanceof MongoServerError && error.code === DUPLICATE_KEY

/**
 * Whether a failure says the server cannot serve now (unreachable, no primary, failing over, or FerretDB's SQLite
 * busy with another writer past its wait) rather than that the request was wrong.
 */
export function isMongoUnavailable(err: unknown): boolean {
  const unreachable = [MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError, MongoTopologyClosedError].some((kind) => err instanceof kind)
  if (unreachable || !(err instanceof MongoError)) return unreachable
  return err.hasErrorLabel('RetryableWriteError') || err.hasErrorLabel('ResetPool') || FERRETDB_BUSY.test(err.message)
}
