import { fastifySSE } from '@fastify/sse'
import type { Topology } from '@restaurant/contracts/messages'
import type { AuditLog } from '@restaurant/platform/audit/audit-log'
import { createKeyManagement } from '@restaurant/platform/audit/key-management'
import type { ApiKeys } from '@restaurant/platform/auth/api-keys'
import { requireIdentity } from '@restaurant/platform/http/identity-guard'
import { buildHttpServer } from '@restaurant/platform/http/server'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { measureRoutes } from '@restaurant/platform/runtime/metrics'
import { Gauge, type Registry } from 'prom-client'
import type { OrderEventHub } from './adapters/order-event-hub.js'
import { registerAuditRoutes } from './http/audit-routes.js'
import { registerDocs } from './http/docs.js'
import { registerKeyRoutes } from './http/key-routes.js'
import { registerMenuRoutes } from './http/menu-routes.js'
import { registerOrderEventRoutes } from './http/order-event-routes.js'
import { registerOrderRoutes } from './http/order-routes.js'
import { registerPartnerRoutes, type Partners } from './http/partner-routes.js'
import { requestContexts } from './http/request-context.js'
import type { Waiter } from './use-cases/waiter.js'

export interface WaiterAppDeps {
  log: Logger
  waiter: Waiter
  apiKeys: ApiKeys
  /** Where staff and admin actions are recorded, and read by admins. */
  audit: AuditLog
  /** Checks the identity the gateway signs on every `/api` request. */
  identitySecret: string
  /** Event-loop delay beyond which requests are shed with 503 rather than queued. */
  maxEventLoopDelayMs: number
  /** Names the exchange and queues in the published message contract. */
  topology: Topology
  /** Status changes for the event streams. */
  events: { hub: OrderEventHub; heartbeatMs: number; maxUnreadBytes: number }
  /** The service's metrics (served on its internal port), where its routes are timed. */
  metrics: Registry
  /** Webhook subscriptions and the event feed. */
  partners: Partners
}

export async function buildWaiterApp(deps: WaiterAppDeps) {
  const { log, waiter, apiKeys, identitySecret, maxEventLoopDelayMs, topology, events, metrics, partners } = deps
  const app = await buildHttpServer(log, { maxEventLoopDelayMs })
  await measureRoutes(app, metrics)
  await app.register(fastifySSE, { heartbeatInterval: events.heartbeatMs })
  await registerDocs(app, topology)
  const contextOf = requestContexts(requireIdentity(app, identitySecret, ['/api/']))
  registerMenuRoutes(app, waiter, contextOf)
  const openStreams = new Gauge({ name: 'sse_open_streams', help: 'Event streams open on this waiter', registers: [metrics] })
  registerOrderEventRoutes(app, { waiter, hub: events.hub, contextOf, maxUnreadBytes: events.maxUnreadBytes, openStreams })
  registerOrderRoutes(app, waiter, contextOf)
  registerKeyRoutes(app, createKeyManagement(apiKeys, deps.audit), contextOf)
  registerPartnerRoutes(app, partners, contextOf)
  registerAuditRoutes(app, deps.audit)
  return app
}
