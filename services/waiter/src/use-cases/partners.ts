import type { AuditLog } from '@restaurant/platform/audit/audit-log'
import type { RetryPolicy } from '../domain/webhook-attempts.js'
import { createDeliverWebhook } from './deliver-webhook.js'
import { createManageWebhooks } from './manage-webhooks.js'
import type { PartnerStore } from './partner-store.js'
import type { Clock, Publish } from './ports.js'
import { createReadFeed } from './read-feed.js'
import { createRecordPartnerEvent } from './record-partner-event.js'
import type { DestinationCheck, WebhookSender } from './webhook-ports.js'

export interface PartnersDeps {
  store: PartnerStore
  sender: WebhookSender
  checkDestination: DestinationCheck
  publish: Publish
  now: Clock
  newSecret: () => string
  policy: RetryPolicy
  maxInFlight: number
  slowAfterMs: number
  logKeep: number
  secretOverlapMs: number
  audit: AuditLog
}

/** What the waiter owes partners: the feed and the webhooks, as the routes and the two consumers call them. */
export function createPartners(deps: PartnersDeps) {
  return {
    webhooks: createManageWebhooks(deps),
    readFeed: createReadFeed(deps.store),
    recordEvent: createRecordPartnerEvent(deps),
    deliverWebhook: createDeliverWebhook(deps),
  }
}

export type PartnerUseCases = ReturnType<typeof createPartners>
