import createError from '@fastify/error'
import underPressure from '@fastify/under-pressure'
import { buildHttpServer, registerHealthRoutes, type Logger, type MenuItem } from '@restaurant/shared'
import { registerOrderRoutes } from './routes.js'
import type { Waiter } from './waiter.js'

export interface WaiterAppDeps {
  log: Logger
  waiter: Waiter
  menu: () => readonly MenuItem[]
  /** Throws naming the dependency that does not answer. */
  ready: () => Promise<void>
  /** Event-loop delay beyond which requests are shed with 503 rather than queued. */
  maxEventLoopDelayMs: number
}

export const OverloadedError = createError('OVERLOADED', 'The waiter is overloaded (%s); try again shortly', 503)

export function buildWaiterApp({ log, waiter, menu, ready, maxEventLoopDelayMs }: WaiterAppDeps) {
  const app = buildHttpServer(log)
  void app.register(underPressure, {
    maxEventLoopDelay: maxEventLoopDelayMs,
    pressureHandler: (_request, _reply, type) => {
      throw new OverloadedError(type)
    },
  })
  registerHealthRoutes(app, ready)
  registerOrderRoutes(app, waiter, menu)
  return app
}
