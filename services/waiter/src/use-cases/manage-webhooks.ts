import { randomUUID } from 'node:crypto'
import createError from '@fastify/error'
import { routingKeys, type WebhookDeliveryMessage } from '@restaurant/contracts/messages'
import type { PartnerEvent, PartnerEventType, PartnerScope } from '@restaurant/contracts/partners'
import { recordThen, type AuditEntry, type AuditLog } from '@restaurant/platform/audit/audit-log'
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
  audit: AuditLog
}

const RESUME_PAGE = 100

export const viewOf = ({ secrets: _secrets, ...view }: WebhookSubscription): SubscriptionView => view

/** What admins do with webhook subscriptions, through the API or the CLI. Each change is recorded before it is made. */
export function createManageWebhooks(deps: ManageWebhooksDeps) {
  const changes = webhookChanges(deps)
  const recorded = <T>(ctx: RequestContext, action: string, id: string, change: () => Promise<T>, detail?: AuditEntry['detail']) =>
    recordThen(deps.audit, ctx, { action: `webhook.${action}`, target: id, ...(detail ? { detail } : {}) }, change)
  return {
    async create(wanted: NewSubscription, ctx: RequestContext) {
      const refused = await deps.checkDestination(wanted.url)
      if (refused) throw Object.assign(new WebhookUrlRefusedError(refused), { invalidParams: [{ in: 'body', name: '/url', reason: refused }] })
      const secret = deps.newSecret()
      const subscription = newSubscription(wanted, secret, ctx.identity.subject, deps.now())
      // The destination's host alone: a receiver's URL may carry a credential in its path or query.
      const detail = { host: new URL(wanted.url).host, types: subscription.types, scopes: subscription.scopes }
      await recorded(ctx, 'created', subscription.id, () => deps.store.subscriptions.create(subscription), detail)
      return { subscription: viewOf(subscription), secret }
    },
    list: async () => (await deps.store.subscriptions.list()).map(viewOf),
    get: async (id: string) => viewOf(await changes.found(id)),
    remove: (id: string, ctx: RequestContext) => recorded(ctx, 'deleted', id, () => changes.remove(id)),
    ping: (id: string, ctx: RequestContext) => recorded(ctx, 'pinged', id, () => changes.ping(id, ctx.requestId)),
    rotateSecret: (id: string, ctx: RequestContext) => recorded(ctx, 'secret-rotated', id, () => changes.rotateSecret(id)),
    pause: (id: string, ctx: RequestContext) => recorded(ctx, 'paused', id, () => changes.pause(id, ctx.identity.subject)),
    resume: (id: string, ctx: RequestContext) => recorded(ctx, 'resumed', id, () => changes.resume(id, ctx.requestId)),
    async deliveries(id: string, limit: number) {
      await changes.found(id)
      return deps.store.deliveries.recent(id, limit)
    },
  }
}

function newSubscription(wanted: NewSubscription, secret: string, by: string, at: Date): WebhookSubscription {
  return {
    id: `wh_${randomUUID().replaceAll('-', '')}`,
    url: wanted.url,
    types: [...new Set(wanted.types)],
    scopes: [...new Set(wanted.scopes ?? [])],
    ...(wanted.description === undefined ? {} : { description: wanted.description }),
    secrets: [{ secret }],
    state: 'active',
    createdAt: at.toISOString(),
    createdBy: by,
  }
}

/** A subscription by its id, and a change to it; an unknown id is 404. */
function subscriptionsIn(store: PartnerStore) {
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
  return { found, change }
}

/** The changes to a subscription as they are made: createManageWebhooks records each first. */
function webhookChanges({ store, now, publish, newSecret, secretOverlapMs }: ManageWebhooksDeps) {
  const { found, change } = subscriptionsIn(store)
  const deliver = (subscriptionId: string, event: PartnerEvent, requestId: string) =>
    publish(routingKeys.webhookDelivery, { subscriptionId, event, attempt: 1 } satisfies WebhookDeliveryMessage, requestId)
  return {
    found,
    async remove(id: string) {
      if (!(await store.subscriptions.delete(id))) throw new WebhookNotFoundError(id)
    },
    /** Sends a `webhook.ping` through the same queue, signing and retries as any event. */
    async ping(id: string, requestId: string) {
      const { id: subscriptionId } = await found(id)
      const event: PartnerEvent = { id: `evt_ping_${randomUUID()}`, type: 'webhook.ping', occurredAt: now().toISOString(), data: { subscriptionId } }
      await deliver(subscriptionId, event, requestId)
      return { eventId: event.id }
    },
    async rotateSecret(id: string) {
      const secret = newSecret()
      const secrets = rotated((await found(id)).secrets, secret, now(), secretOverlapMs)
      await change(id, { secrets })
      return { secret, previousSecretsExpireAt: secrets[1]?.expiresAt }
    },
    pause: async (id: string, by: string) => viewOf(await change(id, { state: 'paused', pausedReason: `paused by ${by}`, pausedAt: now().toISOString() })),
    /** Resumes deliveries, first sending again (as first attempts) every delivery kept while it was paused. */
    async resume(id: string, requestId: string) {
      const subscription = await change(id, { state: 'active', pausedReason: undefined, pausedAt: undefined, failingSince: undefined })
      for (let held = await store.deliveries.held(id, RESUME_PAGE); held.length > 0; held = await store.deliveries.held(id, RESUME_PAGE)) {
        await Promise.all(held.map(({ event }) => deliver(id, event, requestId)))
        await store.deliveries.release(id, held.map(({ event }) => event.id))
      }
      return viewOf(subscription)
    },
  }
}

export type ManageWebhooks = ReturnType<typeof createManageWebhooks>
