import type { WebhookDeliveryMessage } from '@restaurant/contracts/messages'
import type { DeliveryAttempt, FeedEvent } from '@restaurant/contracts/partners'
import type { HeldDelivery, PartnerStore, WebhookSubscription } from '../../src/use-cases/partner-store.js'
import type { Publish } from '../../src/use-cases/ports.js'

/**
 * The partner store in memory, as its port says it behaves: the feed appends an event id once, in one increasing
 * sequence; holding the same event for a subscription twice keeps it once; a log keeps its newest attempts.
 */
export function memoryPartnerStore() {
  const subscriptions = new Map<string, WebhookSubscription>()
  const logs = new Map<string, DeliveryAttempt[]>()
  const held = new Map<string, HeldDelivery[]>()
  const feed: (FeedEvent & { appendedAt: number })[] = []
  let lastSequence = 0
  const store: PartnerStore = {
    subscriptions: {
      create: async (subscription) => void subscriptions.set(subscription.id, structuredClone(subscription)),
      get: async (id) => structuredClone(subscriptions.get(id)),
      list: async () => structuredClone([...subscriptions.values()]),
      async update(subscription) {
        if (!subscriptions.has(subscription.id)) return false
        subscriptions.set(subscription.id, structuredClone(subscription))
        return true
      },
      async delete(id) {
        logs.delete(id)
        held.delete(id)
        return subscriptions.delete(id)
      },
    },
    deliveries: {
      async record(attempt, keep) {
        logs.set(attempt.subscriptionId, [attempt, ...(logs.get(attempt.subscriptionId) ?? [])].slice(0, keep))
      },
      recent: async (subscriptionId, limit) => (logs.get(subscriptionId) ?? []).slice(0, limit),
      async hold(delivery) {
        const kept = held.get(delivery.subscriptionId) ?? []
        if (!kept.some(({ event }) => event.id === delivery.event.id)) held.set(delivery.subscriptionId, [...kept, delivery])
      },
      held: async (subscriptionId, limit) => (held.get(subscriptionId) ?? []).slice(0, limit),
      async release(subscriptionId, eventIds) {
        held.set(subscriptionId, (held.get(subscriptionId) ?? []).filter(({ event }) => !eventIds.includes(event.id)))
      },
    },
    feed: {
      async append(event, at) {
        if (feed.some(({ id }) => id === event.id)) return false
        feed.push({ ...structuredClone(event), sequence: ++lastSequence, appendedAt: at.getTime() })
        return true
      },
      after: async (after, types, limit) =>
        feed
          .filter(({ sequence, type }) => sequence > after && (types.length === 0 || types.includes(type)))
          .slice(0, limit)
          .map(({ appendedAt: _appendedAt, ...event }) => event),
      async prune(before) {
        const kept = feed.filter(({ appendedAt }) => appendedAt >= before.getTime())
        const pruned = feed.length - kept.length
        feed.splice(0, feed.length, ...kept)
        return pruned
      },
    },
    close: async () => undefined,
  }
  return { store, subscriptions, logs, held, feed }
}

/** Test data: an active subscription to placed orders, signed by one secret; override any field. */
export function buildSubscription(overrides: Partial<WebhookSubscription> = {}): WebhookSubscription {
  return {
    id: 'wh_00000000000000000000000000000001',
    url: 'https://partner.example/hooks',
    types: ['order.placed'],
    scopes: [],
    secrets: [{ secret: 'whsec_current' }],
    state: 'active',
    createdAt: '2026-03-01T00:00:00.000Z',
    createdBy: 'ada',
    ...overrides,
  }
}

/** A publish that keeps the webhook deliveries it is given, as the waiter's webhooks queue would receive them. */
export function recordingPublish() {
  const published: { routingKey: string; message: WebhookDeliveryMessage; correlationId: string }[] = []
  const publish: Publish = async (routingKey, message, correlationId) => void published.push({ routingKey, message: message as WebhookDeliveryMessage, correlationId })
  return { publish, published }
}
