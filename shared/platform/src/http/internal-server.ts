import Fastify, { LogController, type FastifyBaseLogger } from 'fastify'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { registerHealthRoutes, type DependencyCheck, type HealthOptions } from './health.js'
import { registerProblemHandlers } from './problems.js'
import { genRequestId } from './server.js'

/** What a service shows on its internal port. */
export interface Probes {
  /** What `/ready` checks. */
  readiness: Record<string, DependencyCheck>
  /** Served at `/metrics`. */
  metrics: Registry
}

/**
 * The internal port's server: `/health`, `/ready` and `/metrics`, and nothing else, apart from the public API so
 * that a network policy can keep callers from outside away from them. Nothing sheds its requests (an overloaded
 * service is alive, not dead), and they are not logged one by one: probes and scrapes come every few seconds.
 */
export function buildInternalServer(log: Logger, { readiness, metrics }: Probes, health: HealthOptions = {}) {
  const app = Fastify({
    loggerInstance: log.child({ listener: 'internal' }) as FastifyBaseLogger,
    requestIdHeader: false,
    genReqId: genRequestId,
    logController: new LogController({ disableRequestLogging: true }),
  })
  registerProblemHandlers(app)
  registerHealthRoutes(app, readiness, health)
  app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()))
  return app
}

export type InternalServer = ReturnType<typeof buildInternalServer>
