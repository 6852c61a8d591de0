import { unavailableOnFailure } from '@restaurant/platform/runtime/dependencies'
import { isMongoUnavailable } from '@restaurant/platform/stores/mongo-errors'
import type { CredentialStore } from '../../use-cases/credential-store.js'
import type { PartnerStoreConfig } from '../partner-store/create-partner-store.js'
import { createMongoCredentialStore } from './mongo-credential-store.js'
import { createSqliteCredentialStore, isSqliteCredentialUnavailable } from './sqlite-credential-store.js'

/**
 * The waiter's credential store, beside its partner store: MongoDB when a URL is configured (collections `api_keys`,
 * `subject_revocations`, `token_revocations`), otherwise `credentials.sqlite` in DATA_DIR. A failure that means the
 * store cannot serve becomes DependencyUnavailableError (503).
 */
export async function createCredentialStore(config: PartnerStoreConfig): Promise<CredentialStore> {
  return config.MONGO_URL
    ? unavailableOnFailure('the credential store', await createMongoCredentialStore({ url: config.MONGO_URL, dbName: config.MONGO_DB }), isMongoUnavailable)
    : unavailableOnFailure('the credential store', await createSqliteCredentialStore({ dataDir: config.DATA_DIR }), isSqliteCredentialUnavailable)
}
