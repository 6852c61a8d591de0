import { fastifySSE } from '@fastify/sse'
import type { Topology } from '@restaurant/contracts/messages'
import type { AuditLog } from '@restaurant/platform/audit/audit-log'
import { createKeyManagement, type ApiKeyChanges } from '@restaurant/platform/audit/key-management'
import { createRevocationManagement } from '@restaurant/platform/audit/revocation-management'
import type { ServiceVerifier } from '@restaurant/platform/auth/service-tokens'
import { requireIdentity } from '@restaurant/platform/http/identity-guard'
import { buildHttpServer } from '@restaurant/platform/http/server'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { measureRoutes } from '@restaurant/platform/runtime/metrics'
import { Gauge, type Registry } from 'prom-client'
import type { OrderEventHub } from './adapters/order-event-hub.js'
import { registerAuditRoutes } from './http/audit-routes.js'
import { registerCredentialRoutes } from './http/credential-routes.js'
import { registerDocs } from './http/docs.js'
import { registerKeyRoutes } from './http/key-routes.js'
import { registerMenuRoutes } from './http/menu-routes.js'
import { registerOrderEventRoutes } from './http/order-event-routes.js'
import { registerOrderRoutes } from './http/order-routes.js'
import { registerPartnerRoutes, type Partners } from './http/partner-routes.js'
import { requestContexts } from './http/request-context.js'
import { registerRevocationRoutes } from './http/revocation-routes.js'
import type { ManageCredentials } from './use-cases/manage-credentials.js'
import type { Waiter } from './use-cases/waiter.js'

export interface WaiterAppDeps {
  log: Logger
  waiter: Waiter
  apiKeys: ApiKeyChanges
  /** Token revocations, and what the gateways' cache of credentials is filled from. */
  credentials: Pick<ManageCredentials, 'revoke' | 'revocations' | 'key' | 'snapshot' | 'tokenRevoked'>
  /** Where staff and admin actions are recorded, and read by admins. */
  audit: AuditLog
  /** Checks the token the gateway signs on every `/api` request (and its callers' on `/internal`). */
  verifyCaller: ServiceVerifier
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
  const { log, waiter, apiKeys, verifyCaller, maxEventLoopDelayMs, topology, events, metrics, partners } = deps
  const app = await buildHttpServer(log, { maxEventLoopDelayMs })
  await measureRoutes(app, metrics)
  await app.register(fastifySSE, { heartbeatInterval: events.heartbeatMs })
  await registerDocs(app, topology)
  const contextOf = requestContexts(requireIdentity(app, verifyCaller, ['/api/', '/internal/']))
  registerMenuRoutes(app, waiter, contextOf)
  const openStreams = new Gauge({ name: 'sse_open_streams', help: 'Event streams open on this waiter', registers: [metrics] })
  registerOrderEventRoutes(app, { waiter, hub: events.hub, contextOf, maxUnreadBytes: events.maxUnreadBytes, openStreams })
  registerOrderRoutes(app, waiter, contextOf)
  registerKeyRoutes(app, createKeyManagement(apiKeys, deps.audit), contextOf)
  registerRevocationRoutes(app, createRevocationManagement(deps.credentials, deps.audit), contextOf)
  registerCredentialRoutes(app, deps.credentials)
  registerPartnerRoutes(app, partners, contextOf)
  registerAuditRoutes(app, deps.audit)
  return app
}
