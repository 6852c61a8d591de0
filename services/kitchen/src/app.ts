import type { ServiceVerifier } from '@restaurant/platform/auth/service-tokens'
import { requireIdentity } from '@restaurant/platform/http/identity-guard'
import { buildHttpServer } from '@restaurant/platform/http/server'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { measureRoutes } from '@restaurant/platform/runtime/metrics'
import type { Registry } from 'prom-client'
import { registerMenuRoutes } from './http/menu-routes.js'
import { registerTicketRoutes } from './http/ticket-routes.js'
import type { EditMenu } from './use-cases/edit-menu.js'
import type { MenuStore } from './use-cases/menu-store.js'
import type { TicketStore } from './use-cases/ticket-store.js'

export interface KitchenAppDeps {
  log: Logger
  store: TicketStore
  /** The menu the kitchen owns, and its edits. */
  menu: { store: Pick<MenuStore, 'items' | 'history'>; edits: EditMenu }
  /** Event-loop delay beyond which requests are shed with 503. */
  maxEventLoopDelayMs: number
  /** Checks the token the waiter signs for every internal call. */
  verifyCaller: ServiceVerifier
  /** The service's metrics (served on its internal port), where its routes are timed. */
  metrics: Registry
}

/** The kitchen's small HTTP side: the internal API over its tickets and the menu it owns. */
export async function buildKitchenApp({ log, store, menu, maxEventLoopDelayMs, verifyCaller, metrics }: KitchenAppDeps) {
  const app = await buildHttpServer(log, { maxEventLoopDelayMs })
  await measureRoutes(app, metrics)
  requireIdentity(app, verifyCaller, ['/internal/'])
  registerTicketRoutes(app, store)
  registerMenuRoutes(app, menu.store, menu.edits)
  return app
}
