import { requireIdentity } from '@restaurant/platform/http/identity-guard'
import { buildHttpServer } from '@restaurant/platform/http/server'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { measureRoutes } from '@restaurant/platform/runtime/metrics'
import type { Registry } from 'prom-client'
import { registerTicketRoutes } from './http/ticket-routes.js'
import type { TicketStore } from './use-cases/ticket-store.js'

export interface KitchenAppDeps {
  log: Logger
  store: TicketStore
  /** Event-loop delay beyond which requests are shed with 503. */
  maxEventLoopDelayMs: number
  /** Checks the identity the waiter signs on every internal call. */
  identitySecret: string
  /** The service's metrics (served on its internal port), where its routes are timed. */
  metrics: Registry
}

/** The kitchen's small HTTP side: the internal read API over its tickets. */
export async function buildKitchenApp({ log, store, maxEventLoopDelayMs, identitySecret, metrics }: KitchenAppDeps) {
  const app = await buildHttpServer(log, { maxEventLoopDelayMs })
  await measureRoutes(app, metrics)
  requireIdentity(app, identitySecret, ['/internal/'])
  registerTicketRoutes(app, store)
  return app
}
