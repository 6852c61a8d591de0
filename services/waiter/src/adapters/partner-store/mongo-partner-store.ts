import type { Collection, ObjectId } from 'mongodb'
import { connectStore, type StoreIndex } from '@restaurant/platform/stores/mongo-connection'
import { isMongoUnavailable } from '@restaurant/platform/stores/mongo-errors'
import type { DeliveryAttempt, HeldDelivery, PartnerStore, WebhookSubscription } from '../../use-cases/partner-store.js'
import { FeedContendedError, mongoPartnerFeed, type FeedDocument, type FeedHeadDocument } from './mongo-partner-feed.js'

export interface MongoPartnerStoreOptions {
  url: string
  dbName: string
}

type SubscriptionDocument = { _id: string; createdAt: string; subscription: WebhookSubscription }
type DeliveryDocument = { _id?: ObjectId; subscriptionId: string; at: string; attempt: DeliveryAttempt }
type HeldDocument = { _id: string; subscriptionId: string; heldAt: string; delivery: HeldDelivery }

export const partnerCollections = { subscriptions: 'webhook_subscriptions', deliveries: 'webhook_deliveries', held: 'webhook_held', feed: 'partner_feed', feedHead: 'partner_feed_head' } as const

const INDEXES: readonly StoreIndex[] = [
  { collection: partnerCollections.subscriptions, key: { createdAt: 1, _id: 1 } },
  { collection: partnerCollections.deliveries, key: { subscriptionId: 1, at: -1, _id: -1 } },
  { collection: partnerCollections.held, key: { subscriptionId: 1, heldAt: 1, _id: 1 } },
  { collection: partnerCollections.feed, key: { sequence: 1 }, options: { unique: true } },
  { collection: partnerCollections.feed, key: { type: 1, sequence: 1 } },
  { collection: partnerCollections.feed, key: { appendedAt: 1 } },
]

export const isMongoPartnerUnavailable = (err: unknown) => isMongoUnavailable(err) || err instanceof FeedContendedError

/** The MongoDB partner store: a document per subscription, per logged attempt, per held delivery and per feed event. */
export async function createMongoPartnerStore({ url, dbName }: MongoPartnerStoreOptions): Promise<PartnerStore> {
  const { client, db } = await connectStore(url, dbName, INDEXES)
  const deliveries = db.collection<DeliveryDocument>(partnerCollections.deliveries)
  const held = db.collection<HeldDocument>(partnerCollections.held)
  return {
    subscriptions: mongoSubscriptions(db.collection<SubscriptionDocument>(partnerCollections.subscriptions), deliveries, held),
    deliveries: { ...deliveryLog(deliveries), ...heldDeliveries(held) },
    feed: mongoPartnerFeed(db.collection<FeedDocument>(partnerCollections.feed), db.collection<FeedHeadDocument>(partnerCollections.feedHead)),
    close: () => client.close(),
  }
}

function mongoSubscriptions(
  subscriptions: Collection<SubscriptionDocument>,
  deliveries: Collection<DeliveryDocument>,
  held: Collection<HeldDocument>,
): PartnerStore['subscriptions'] {
  const documentOf = (subscription: WebhookSubscription) => ({ _id: subscription.id, createdAt: subscription.createdAt, subscription })
  return {
    create: async (subscription) => void (await subscriptions.insertOne(documentOf(subscription))),
    get: async (id) => (await subscriptions.findOne({ _id: id }))?.subscription,
    list: async () => (await subscriptions.find({}).sort({ createdAt: 1, _id: 1 }).toArray()).map((doc) => doc.subscription),
    update: async (subscription) => (await subscriptions.replaceOne({ _id: subscription.id }, documentOf(subscription))).matchedCount > 0,
    // Its log and held deliveries go first: a delete cut short leaves the subscription, to be deleted again.
    async delete(id) {
      await deliveries.deleteMany({ subscriptionId: id })
      await held.deleteMany({ subscriptionId: id })
      return (await subscriptions.deleteOne({ _id: id })).deletedCount > 0
    },
  }
}

function deliveryLog(deliveries: Collection<DeliveryDocument>): Pick<PartnerStore['deliveries'], 'record' | 'recent'> {
  const newestFirst = { at: -1, _id: -1 } as const
  return {
    async record(attempt, keep) {
      const { subscriptionId, at } = attempt
      await deliveries.insertOne({ subscriptionId, at, attempt })
      // The newest attempt the log no longer keeps, and every older one, go.
      const dropped = await deliveries.find({ subscriptionId }, { projection: { at: 1 } }).sort(newestFirst).skip(keep).limit(1).next()
      if (dropped === null) return
      await deliveries.deleteMany({ subscriptionId, $or: [{ at: { $lt: dropped.at } }, { at: dropped.at, _id: { $lte: dropped._id } }] })
    },
    recent: async (subscriptionId, limit) => (await deliveries.find({ subscriptionId }).sort(newestFirst).limit(limit).toArray()).map((doc) => doc.attempt),
  }
}

function heldDeliveries(held: Collection<HeldDocument>): Pick<PartnerStore['deliveries'], 'hold' | 'held' | 'release'> {
  // One document per subscription and event: holding an event again changes nothing.
  const idOf = (subscriptionId: string, eventId: string) => `${subscriptionId}/${eventId}`
  return {
    async hold(delivery) {
      const { subscriptionId, heldAt } = delivery
      await held.updateOne({ _id: idOf(subscriptionId, delivery.event.id) }, { $setOnInsert: { subscriptionId, heldAt, delivery } }, { upsert: true })
    },
    held: async (subscriptionId, limit) => (await held.find({ subscriptionId }).sort({ heldAt: 1, _id: 1 }).limit(limit).toArray()).map((doc) => doc.delivery),
    release: async (subscriptionId, eventIds) => void (await held.deleteMany({ _id: { $in: eventIds.map((eventId) => idOf(subscriptionId, eventId)) } })),
  }
}
