import { openChosenStore, type StoreSettings } from '@restaurant/platform/stores/chosen-store'
import type { CredentialStore } from '../../use-cases/credential-store.js'
import { createMongoCredentialStore } from './mongo-credential-store.js'
import { createSqliteCredentialStore, isSqliteCredentialUnavailable } from './sqlite-credential-store.js'

/**
 * The waiter's credential store, beside its partner store: MongoDB when a URL is configured (collections `api_keys`,
 * `subject_revocations`, `token_revocations`), otherwise `credentials.sqlite` in DATA_DIR. A failure that means the
 * store cannot serve becomes DependencyUnavailableError (503).
 */
export function createCredentialStore(config: StoreSettings): Promise<CredentialStore> {
  return openChosenStore('the credential store', config, { mongo: createMongoCredentialStore, sqlite: createSqliteCredentialStore, isSqliteUnavailable: isSqliteCredentialUnavailable })
}
