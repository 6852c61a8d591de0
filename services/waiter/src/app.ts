import createError from '@fastify/error'
import underPressure from '@fastify/under-pressure'
import { buildHttpServer, registerHealthRoutes, type Logger, type MenuItem, type Topology } from '@restaurant/shared'
import { registerDocs } from './docs.js'
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
  /** Names the exchange and queues in the published message contract. */
  topology: Topology
}

export const OverloadedError = createError('OVERLOADED', 'The waiter is overloaded (%s); try again shortly', 503)

export async function buildWaiterApp({ log, waiter, menu, ready, maxEventLoopDelayMs, topology }: WaiterAppDeps) {
  const app = buildHttpServer(log)
  void app.register(underPressure, {
    maxEventLoopDelay: maxEventLoopDelayMs,
    pressureHandler: (_request, _reply, type) => {
      throw new OverloadedError(type)
    },
  })
  await registerDocs(app, topology)
  registerHealthRoutes(app, ready)
  registerOrderRoutes(app, waiter, menu)
  return app
}
