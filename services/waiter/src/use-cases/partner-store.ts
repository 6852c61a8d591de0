import type { DeliveryAttempt, FeedEvent, PartnerEvent, Webhook } from '@restaurant/contracts/partners'
import type { SigningSecret } from '../domain/webhook-attempts.js'

export type { SigningSecret }

/** A partner's webhook as stored: what its owner sees, and the secrets that sign its deliveries. */
export interface WebhookSubscription extends Webhook {
  /** Newest first: every one not expired signs each delivery, so a receiver may switch during the overlap. */
  secrets: SigningSecret[]
}

/** One attempt to deliver an event to a subscription, as its delivery log shows it. */
export type { DeliveryAttempt } from '@restaurant/contracts/partners'

/** A delivery kept while its subscription is paused, sent when it is resumed. */
export interface HeldDelivery {
  subscriptionId: string
  event: PartnerEvent
  heldAt: string
}

/**
 * Where the waiter keeps what partners are owed: webhook subscriptions, their delivery logs and the deliveries
 * held while one is paused, and the event feed. The embedded (SQLite) and MongoDB adapters pass one contract suite.
 */
export interface PartnerStore {
  subscriptions: {
    create(subscription: WebhookSubscription): Promise<void>
    get(id: string): Promise<WebhookSubscription | undefined>
    /** Every subscription, oldest first. */
    list(): Promise<WebhookSubscription[]>
    /** Replaces the stored subscription with `subscription` (same id); false when there is none. */
    update(subscription: WebhookSubscription): Promise<boolean>
    /** Removes it with its log and its held deliveries; false when there was none. */
    delete(id: string): Promise<boolean>
  }
  deliveries: {
    /** Adds an attempt to its subscription's log, which keeps the newest `keep` (older ones are dropped). */
    record(attempt: DeliveryAttempt, keep: number): Promise<void>
    /** The subscription's log, newest first, at most `limit`. */
    recent(subscriptionId: string, limit: number): Promise<DeliveryAttempt[]>
    /** Keeps a delivery for when its subscription resumes; holding the same event twice keeps it once. */
    hold(delivery: HeldDelivery): Promise<void>
    /** The held deliveries of a subscription, oldest first, at most `limit`. */
    held(subscriptionId: string, limit: number): Promise<HeldDelivery[]>
    /** Forgets held deliveries once they were sent again. */
    release(subscriptionId: string, eventIds: readonly string[]): Promise<void>
  }
  feed: {
    /**
     * Appends the event, unless one with its id is there already (then nothing changes): true when appended. Every
     * event gets the next number of one sequence, and one numbered n is visible only once every event numbered
     * below n is (or never will be): a cursor never skips an event that commits late, whichever instance wrote it.
     */
    append(event: PartnerEvent, at: Date): Promise<boolean>
    /** Events numbered above `after`, in sequence, of the given types (all when empty), at most `limit`. */
    after(after: number, types: readonly string[], limit: number): Promise<FeedEvent[]>
    /** Drops the events appended before `before`: the feed keeps events for a set time. */
    prune(before: Date): Promise<number>
  }
  close(): Promise<void>
}
