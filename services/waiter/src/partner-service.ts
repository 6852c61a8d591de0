import { PartnerEventSourceMessage, WebhookDeliveryMessage, type Topology } from '@restaurant/contracts/messages'
import type { AuditLog } from '@restaurant/platform/audit/audit-log'
import type { Bus } from '@restaurant/platform/messaging/bus'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { createPartnerStore } from './adapters/partner-store/create-partner-store.js'
import { checkDestination } from './adapters/destination-check.js'
import { createWebhookSender, generateSecret } from './adapters/webhook-sender.js'
import type { WaiterConfig } from './config.js'
import { createPartners } from './use-cases/partners.js'

const HOUR_MS = 3_600_000
// A receiver that has not answered within this is slow: its further deliveries are set aside, not queued.
const SLOW_AFTER_MS = 1_000

/**
 * What the waiter owes partners, wired: its own store (MongoDB or the embedded file), the signed sender, the
 * consumer that records every event and fans it out, the consumer that delivers webhooks, and the feed's pruning.
 */
export async function startPartners(config: WaiterConfig, { bus, topology, log, audit }: { bus: Bus; topology: Topology; log: Logger; audit: AuditLog }) {
  const store = await createPartnerStore(config)
  const allowPrivate = config.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS
  const sender = createWebhookSender({ allowPrivate, timeoutMs: config.WEBHOOK_TIMEOUT_MS })
  const partners = createPartners({
    store,
    sender,
    checkDestination: (url) => checkDestination(url, { allowPrivate }),
    publish: bus.publish,
    now: () => new Date(),
    newSecret: generateSecret,
    policy: { retryDelaysMs: config.WEBHOOK_RETRY_DELAYS_MS.split(',').map(Number), pauseAfterMs: config.WEBHOOK_PAUSE_AFTER_MS },
    maxInFlight: config.WEBHOOK_MAX_IN_FLIGHT,
    slowAfterMs: Math.min(SLOW_AFTER_MS, config.WEBHOOK_TIMEOUT_MS),
    logKeep: config.WEBHOOK_LOG_KEEP,
    secretOverlapMs: config.WEBHOOK_SECRET_OVERLAP_MS,
    audit,
  })
  await bus.consume(topology.queues.waiterPartnerEvents, PartnerEventSourceMessage, partners.recordEvent)
  await bus.consume(topology.queues.waiterWebhooks, WebhookDeliveryMessage, partners.deliverWebhook)
  const prune = () =>
    store.feed.prune(new Date(Date.now() - config.FEED_RETENTION_HOURS * HOUR_MS)).catch((err: unknown) => log.warn({ err }, 'could not prune the event feed'))
  const pruning = setInterval(() => void prune(), HOUR_MS).unref()
  void prune()
  return {
    partners,
    async close() {
      clearInterval(pruning)
      await sender.close()
      await store.close()
    },
  }
}
