import { routingKeys, type PartnerEventSourceMessage, type WebhookDeliveryMessage } from '@restaurant/contracts/messages'
import { menuEvent, orderEvent, type PartnerEvent, type PartnerScope } from '@restaurant/contracts/partners'
import type { MessageContext } from '@restaurant/platform/messaging/bus'
import { wants } from '../domain/webhook-attempts.js'
import type { PartnerStore } from './partner-store.js'
import type { Clock, Publish } from './ports.js'

export interface RecordPartnerEventDeps {
  store: Pick<PartnerStore, 'feed' | 'subscriptions'>
  publish: Publish
  now: Clock
}

/** The event as a partner with `scopes` sees it. */
function eventOf(message: PartnerEventSourceMessage, scopes: readonly PartnerScope[]): PartnerEvent {
  return 'order' in message ? orderEvent(message.order, scopes) : menuEvent(message.item)
}

/**
 * Something partners are told of happened: it joins the feed (once, however often it comes), and a delivery of it
 * goes to every subscription that wants it, paused ones included (they keep it). The deliveries are published
 * before the message is acked: a crash in between sends them again, under the same `webhook-id`.
 */
export function createRecordPartnerEvent({ store, publish, now }: RecordPartnerEventDeps) {
  return async function recordPartnerEvent(message: PartnerEventSourceMessage, { correlationId }: Pick<MessageContext, 'correlationId'>): Promise<void> {
    const event = eventOf(message, [])
    await store.feed.append(event, now())
    const subscriptions = (await store.subscriptions.list()).filter((subscription) => wants(subscription, event.type))
    await Promise.all(
      subscriptions.map((subscription) => {
        const delivery: WebhookDeliveryMessage = { subscriptionId: subscription.id, event: eventOf(message, subscription.scopes), attempt: 1 }
        return publish(routingKeys.webhookDelivery, delivery, correlationId)
      }),
    )
  }
}
