import { storeFileErrors } from '@restaurant/platform/stores/sqlite-access'
import { openStoreFile } from '@restaurant/platform/stores/store-file'
import type { PartnerStore } from '../../use-cases/partner-store.js'
import { deliveryStatements, feedStatements, PARTNER_SCHEMA, subscriptionStatements } from './sqlite-partner-statements.js'

const partnerFileErrors = storeFileErrors('PARTNER', 'partner')
export const isSqlitePartnerUnavailable = partnerFileErrors.isUnavailable

export interface SqlitePartnerStoreOptions {
  dataDir: string
}

/**
 * The embedded partner store: `partners.sqlite` in `dataDir`, shared by the waiter processes of one machine (WAL).
 * Every write is one `BEGIN IMMEDIATE` transaction, so writers take turns: a feed event takes the next number
 * inside its writer's turn, numbers commit in order, and a reader never sees one before every smaller one.
 */
export async function createSqlitePartnerStore({ dataDir }: SqlitePartnerStoreOptions): Promise<PartnerStore> {
  const { db, serve, write } = await openStoreFile(dataDir, 'partners.sqlite', PARTNER_SCHEMA, partnerFileErrors.access)
  const subscriptions = subscriptionStatements(db)
  const deliveries = deliveryStatements(db)
  const feed = feedStatements(db)
  return {
    subscriptions: {
      create: (subscription) => write(() => subscriptions.create(subscription)),
      get: (id) => serve(() => subscriptions.get(id)),
      list: () => serve(() => subscriptions.list()),
      update: (subscription) => write(() => subscriptions.update(subscription)),
      delete: (id) => write(() => subscriptions.delete(id)),
    },
    deliveries: {
      record: (attempt, keep) => write(() => deliveries.record(attempt, keep)),
      recent: (subscriptionId, limit) => serve(() => deliveries.recent(subscriptionId, limit)),
      hold: (delivery) => write(() => deliveries.hold(delivery)),
      held: (subscriptionId, limit) => serve(() => deliveries.held(subscriptionId, limit)),
      release: (subscriptionId, eventIds) => write(() => deliveries.release(subscriptionId, eventIds)),
    },
    feed: {
      append: (event, at) => write(() => feed.append(event, at)),
      after: (after, types, limit) => serve(() => feed.after(after, types, limit)),
      prune: (before) => write(() => feed.prune(before)),
    },
    close: async () => {
      if (db.open) db.close()
    },
  }
}
