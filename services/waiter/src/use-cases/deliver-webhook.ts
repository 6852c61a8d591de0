import { routingKeys, type WebhookDeliveryMessage } from '@restaurant/contracts/messages'
import type { MessageContext } from '@restaurant/platform/messaging/bus'
import { GiveUpError, SetAsideError } from '@restaurant/platform/runtime/errors'
import { afterFailure, outcomeOf, signingSecrets, type RetryPolicy } from '../domain/webhook-attempts.js'
import type { PartnerStore, WebhookSubscription } from './partner-store.js'
import type { Clock, Publish } from './ports.js'
import { createSubscriptionLanes } from './subscription-lanes.js'
import type { SendResult, WebhookSender } from './webhook-ports.js'

export interface DeliverWebhookDeps {
  store: Pick<PartnerStore, 'subscriptions' | 'deliveries'>
  sender: WebhookSender
  publish: Publish
  now: Clock
  policy: RetryPolicy
  /** Attempts this instance makes at once to one subscription. */
  maxInFlight: number
  /** An attempt in flight longer than this makes its receiver slow (WEBHOOK_TIMEOUT_MS at most). */
  slowAfterMs: number
  /** Attempts kept in each subscription's log. */
  logKeep: number
}

type Context = Pick<MessageContext, 'correlationId' | 'log'>

// An answer cut off (a 2xx whose body stalled past the timeout) failed too.
const outcomeOfResult = (result: SendResult) => (result.error === undefined ? outcomeOf(result.statusCode) : 'failed')
const succeeded = (result: SendResult) => outcomeOfResult(result) === 'delivered'

/** The subscription with `changes` made; a change to undefined removes the field. */
export function withChanges(subscription: WebhookSubscription, changes: Partial<WebhookSubscription>): WebhookSubscription {
  const changed = Object.entries({ ...subscription, ...changes }).filter(([, value]) => value !== undefined)
  return Object.fromEntries(changed) as unknown as WebhookSubscription
}

/**
 * Delivers one event to one subscription. A paused subscription keeps it for when it resumes; a deleted one drops
 * it. An attempt not due yet is set aside to come back later, and so is one to a receiver that hangs or fails
 * (subscription-lanes.ts), so that it holds none of the consumer's slots other subscriptions need. A failed attempt is followed by
 * the next one (a new message, the same `webhook-id`), or pauses the subscription, or past the last is dead-lettered.
 */
export function createDeliverWebhook(deps: DeliverWebhookDeps) {
  const { store, now } = deps
  const inLane = createSubscriptionLanes({ maxInFlight: deps.maxInFlight, slowAfterMs: deps.slowAfterMs })

  return async function deliverWebhook(message: WebhookDeliveryMessage, context: Context): Promise<void> {
    const subscription = await store.subscriptions.get(message.subscriptionId)
    if (!subscription) return context.log.info({ subscriptionId: message.subscriptionId, eventId: message.event.id }, 'webhook dropped: its subscription is gone')
    if (subscription.state === 'paused') return hold(message)
    if (message.notBefore && Date.parse(message.notBefore) > now().getTime()) throw new SetAsideError(`attempt ${message.attempt} is due at ${message.notBefore}`)
    const result = await inLane(subscription.id, () => attempt(subscription, message), succeeded)
    await settle(subscription, message, result, context)
  }

  function attempt(subscription: WebhookSubscription, message: WebhookDeliveryMessage): Promise<SendResult> {
    const timestamp = now()
    const secrets = signingSecrets(subscription.secrets, timestamp)
    return deps.sender.send({ url: subscription.url, body: JSON.stringify(message.event), id: message.event.id, timestamp, secrets, attempt: message.attempt })
  }

  async function settle(subscription: WebhookSubscription, message: WebhookDeliveryMessage, result: SendResult, context: Context): Promise<void> {
    const { event, attempt } = message
    const outcome = outcomeOfResult(result)
    const error = result.error ?? (outcome === 'delivered' ? undefined : `answered ${result.statusCode}`)
    await store.deliveries.record(
      { subscriptionId: subscription.id, eventId: event.id, eventType: event.type, attempt, at: now().toISOString(), statusCode: result.statusCode, latencyMs: result.latencyMs, error },
      deps.logKeep,
    )
    if (outcome === 'delivered') return void (subscription.failingSince && (await update(subscription, { failingSince: undefined })))
    const next = afterFailure(subscription, { attempt, outcome, error: error ?? 'failed', now: now() }, deps.policy)
    context.log.warn({ subscriptionId: subscription.id, eventId: event.id, attempt, statusCode: result.statusCode, error, next: next.action }, 'webhook attempt failed')
    if (next.action === 'pause') return pause(subscription, next.reason, message)
    if (!subscription.failingSince) await update(subscription, { failingSince: now().toISOString() })
    if (next.action === 'give-up') throw new GiveUpError(`webhook ${event.id} to subscription ${subscription.id} failed ${attempt} times`)
    const retry: WebhookDeliveryMessage = { ...message, attempt: attempt + 1, notBefore: next.notBefore.toISOString() }
    await deps.publish(routingKeys.webhookDelivery, retry, context.correlationId)
  }

  async function pause(subscription: WebhookSubscription, reason: string, message: WebhookDeliveryMessage): Promise<void> {
    await update(subscription, { state: 'paused', pausedReason: reason, pausedAt: now().toISOString() })
    await hold(message)
  }

  function hold({ subscriptionId, event }: WebhookDeliveryMessage): Promise<void> {
    return store.deliveries.hold({ subscriptionId, event, heldAt: now().toISOString() })
  }

  async function update(subscription: WebhookSubscription, changes: Partial<WebhookSubscription>): Promise<void> {
    // Read afresh: another instance may have changed it meanwhile (paused, rotated a secret).
    const current = await store.subscriptions.get(subscription.id)
    if (current) await store.subscriptions.update(withChanges(current, changes))
  }
}
