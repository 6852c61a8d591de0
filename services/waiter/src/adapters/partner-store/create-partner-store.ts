import { unavailableOnFailure } from '@restaurant/platform/runtime/dependencies'
import type { StoreSettings } from '@restaurant/platform/stores/chosen-store'
import type { PartnerStore } from '../../use-cases/partner-store.js'
import { createMongoPartnerStore, isMongoPartnerUnavailable } from './mongo-partner-store.js'
import { createSqlitePartnerStore, isSqlitePartnerUnavailable } from './sqlite-partner-store.js'

/**
 * The waiter's partner store: MongoDB when a URL is configured (collections `webhook_subscriptions`,
 * `webhook_deliveries`, `webhook_held` and `partner_feed`), otherwise the embedded SQLite store in DATA_DIR
 * (`partners.sqlite`). A failure that means the store cannot serve becomes DependencyUnavailableError.
 */
export async function createPartnerStore(config: StoreSettings): Promise<PartnerStore> {
  return config.MONGO_URL
    ? unavailableWhen(await createMongoPartnerStore({ url: config.MONGO_URL, dbName: config.MONGO_DB }), isMongoPartnerUnavailable)
    : unavailableWhen(await createSqlitePartnerStore({ dataDir: config.DATA_DIR }), isSqlitePartnerUnavailable)
}

/** unavailableOnFailure wraps an object's own methods: the store's are one level down. */
function unavailableWhen(store: PartnerStore, isUnavailable: (err: unknown) => boolean): PartnerStore {
  const guarded = <T extends object>(methods: T) => unavailableOnFailure('the partner store', methods, isUnavailable)
  return { subscriptions: guarded(store.subscriptions), deliveries: guarded(store.deliveries), feed: guarded(store.feed), close: () => store.close() }
}
