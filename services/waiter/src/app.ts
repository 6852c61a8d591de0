import createError from '@fastify/error'
import { fastifySSE } from '@fastify/sse'
import underPressure from '@fastify/under-pressure'
import {
  buildHttpServer,
  registerHealthRoutes,
  registerMetrics,
  requireIdentity,
  type ApiKeys,
  type Logger,
  type Topology,
} from '@restaurant/shared'
import { registerDocs } from './docs.js'
import { registerKeyRoutes } from './key-routes.js'
import { registerMenuRoutes } from './menu-routes.js'
import { Gauge, type Registry } from 'prom-client'
import type { OrderEventHub } from './order-event-hub.js'
import { registerOrderEventRoutes } from './order-event-routes.js'
import { registerOrderRoutes } from './order-routes.js'
import { requestContexts } from './request-context.js'
import type { Waiter } from './waiter.js'

export interface WaiterAppDeps {
  log: Logger
  waiter: Waiter
  apiKeys: ApiKeys
  /** Checks the identity the gateway signs on every `/api` request. */
  identitySecret: string
  /** Throws naming the dependency that does not answer. */
  ready: () => Promise<void>
  /** Event-loop delay beyond which requests are shed with 503 rather than queued. */
  maxEventLoopDelayMs: number
  /** Names the exchange and queues in the published message contract. */
  topology: Topology
  /** Status changes for the event streams. */
  events: { hub: OrderEventHub; heartbeatMs: number; maxUnreadBytes: number }
  /** The service's metrics, served at /metrics. */
  metrics: Registry
}

export const OverloadedError = createError('OVERLOADED', 'The waiter is overloaded (%s); try again shortly', 503)

export async function buildWaiterApp(deps: WaiterAppDeps) {
  const { log, waiter, apiKeys, identitySecret, ready, maxEventLoopDelayMs, topology, events, metrics } = deps
  const app = buildHttpServer(log)
  await registerMetrics(app, metrics)
  void app.register(underPressure, {
    maxEventLoopDelay: maxEventLoopDelayMs,
    pressureHandler: (_request, _reply, type) => {
      throw new OverloadedError(type)
    },
  })
  await app.register(fastifySSE, { heartbeatInterval: events.heartbeatMs })
  await registerDocs(app, topology)
  registerHealthRoutes(app, ready)
  const contextOf = requestContexts(requireIdentity(app, identitySecret, ['/api/']))
  registerMenuRoutes(app, waiter, contextOf)
  const openStreams = new Gauge({ name: 'sse_open_streams', help: 'Event streams open on this waiter', registers: [metrics] })
  registerOrderEventRoutes(app, { waiter, hub: events.hub, contextOf, maxUnreadBytes: events.maxUnreadBytes, openStreams })
  registerOrderRoutes(app, waiter, contextOf)
  registerKeyRoutes(app, apiKeys)
  return app
}
