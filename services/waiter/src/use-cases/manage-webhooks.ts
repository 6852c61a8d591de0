import { randomUUID } from 'node:crypto'
import createError from '@fastify/error'
import { routingKeys, type WebhookDeliveryMessage } from '@restaurant/contracts/messages'
import type { PartnerEvent, PartnerEventType, PartnerScope } from '@restaurant/contracts/partners'
import { rotated } from '../domain/webhook-attempts.js'
import { withChanges } from './deliver-webhook.js'
import type { PartnerStore, WebhookSubscription } from './partner-store.js'
import type { Clock, Publish, RequestContext } from './ports.js'
import type { DestinationCheck } from './webhook-ports.js'

export const WebhookNotFoundError = createError('WEBHOOK_NOT_FOUND', 'No webhook subscription %s', 404)
export const WebhookUrlRefusedError = createError('WEBHOOK_URL_REFUSED', 'url may not receive webhooks: %s', 422)

export interface NewSubscription {
  url: string
  types: PartnerEventType[]
  scopes?: PartnerScope[]
  description?: string
}

/** A subscription as its owner sees it: everything but the secrets, which are shown once, when made. */
export type SubscriptionView = Omit<WebhookSubscription, 'secrets'>

export interface ManageWebhooksDeps {
  store: PartnerStore
  checkDestination: DestinationCheck
  publish: Publish
  now: Clock
  newSecret: () => string
  /** How long a replaced secret goes on signing, so that receivers can switch. */
  secretOverlapMs: number
}

const RESUME_PAGE = 100

export const viewOf = ({ secrets: _secrets, ...view }: WebhookSubscription): SubscriptionView => view

/** What admins do with webhook subscriptions, through the API or the CLI. */
export function createManageWebhooks(deps: ManageWebhooksDeps) {
  const { store, now } = deps

  async function found(id: string): Promise<WebhookSubscription> {
    const subscription = await store.subscriptions.get(id)
    if (!subscription) throw new WebhookNotFoundError(id)
    return subscription
  }

  async function change(id: string, changes: Partial<WebhookSubscription>): Promise<WebhookSubscription> {
    const changed = withChanges(await found(id), changes)
    if (!(await store.subscriptions.update(changed))) throw new WebhookNotFoundError(id)
    return changed
  }

  return {
    async create(wanted: NewSubscription, { identity }: RequestContext) {
      const refused = await deps.checkDestination(wanted.url)
      if (refused) throw Object.assign(new WebhookUrlRefusedError(refused), { invalidParams: [{ in: 'body', name: '/url', reason: refused }] })
      const secret = deps.newSecret()
      const subscription: WebhookSubscription = {
        id: `wh_${randomUUID().replaceAll('-', '')}`,
        url: wanted.url,
        types: [...new Set(wanted.types)],
        scopes: [...new Set(wanted.scopes ?? [])],
        ...(wanted.description === undefined ? {} : { description: wanted.description }),
        secrets: [{ secret }],
        state: 'active',
        createdAt: now().toISOString(),
        createdBy: identity.subject,
      }
      await store.subscriptions.create(subscription)
      return { subscription: viewOf(subscription), secret }
    },
    list: async () => (await store.subscriptions.list()).map(viewOf),
    get: async (id: string) => viewOf(await found(id)),
    async remove(id: string) {
      if (!(await store.subscriptions.delete(id))) throw new WebhookNotFoundError(id)
    },
    /** Sends a `webhook.ping` through the same queue, signing and retries as any event. */
    async ping(id: string, { requestId }: RequestContext) {
      const subscription = await found(id)
      const event: PartnerEvent = { id: `evt_ping_${randomUUID()}`, type: 'webhook.ping', occurredAt: now().toISOString(), data: { subscriptionId: subscription.id } }
      const delivery: WebhookDeliveryMessage = { subscriptionId: subscription.id, event, attempt: 1 }
      await deps.publish(routingKeys.webhookDelivery, delivery, requestId)
      return { eventId: event.id }
    },
    async rotateSecret(id: string) {
      const subscription = await found(id)
      const secret = deps.newSecret()
      const secrets = rotated(subscription.secrets, secret, now(), deps.secretOverlapMs)
      await change(id, { secrets })
      return { secret, previousSecretsExpireAt: secrets[1]?.expiresAt }
    },
    pause: async (id: string, { identity }: RequestContext) =>
      viewOf(await change(id, { state: 'paused', pausedReason: `paused by ${identity.subject}`, pausedAt: now().toISOString() })),
    /** Resumes deliveries, first sending again (as first attempts) every delivery kept while it was paused. */
    async resume(id: string, { requestId }: RequestContext) {
      const subscription = await change(id, { state: 'active', pausedReason: undefined, pausedAt: undefined, failingSince: undefined })
      for (let held = await store.deliveries.held(id, RESUME_PAGE); held.length > 0; held = await store.deliveries.held(id, RESUME_PAGE)) {
        await Promise.all(held.map(({ event }) => deps.publish(routingKeys.webhookDelivery, { subscriptionId: id, event, attempt: 1 }, requestId)))
        await store.deliveries.release(id, held.map(({ event }) => event.id))
      }
      return viewOf(subscription)
    },
    async deliveries(id: string, limit: number) {
      await found(id)
      return store.deliveries.recent(id, limit)
    },
  }
}

export type ManageWebhooks = ReturnType<typeof createManageWebhooks>
