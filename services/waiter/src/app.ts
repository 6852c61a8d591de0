import { buildHttpServer, registerHealthRoutes, type Logger, type MenuItem } from '@restaurant/shared'
import { registerOrderRoutes } from './routes.js'
import type { Waiter } from './waiter.js'

export interface WaiterAppDeps {
  log: Logger
  waiter: Waiter
  menu: () => readonly MenuItem[]
  /** Throws naming the dependency that does not answer. */
  ready: () => Promise<void>
}

export function buildWaiterApp({ log, waiter, menu, ready }: WaiterAppDeps) {
  const app = buildHttpServer(log)
  registerHealthRoutes(app, ready)
  registerOrderRoutes(app, waiter, menu)
  return app
}
