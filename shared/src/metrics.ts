import fastifyMetricsModule from 'fastify-metrics'
import { collectDefaultMetrics, Registry } from 'prom-client'
import type { HttpServer } from './http.js'

// CommonJS with `exports.default`: under ESM the plugin is the default export's `default`.
const fastifyMetrics = fastifyMetricsModule.default

/**
 * The service's own Prometheus registry (services that share a process, as in tests, keep theirs apart),
 * with the runtime's metrics: event-loop delay, memory, CPU, garbage collection, handles.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  collectDefaultMetrics({ register: registry })
  return registry
}

/**
 * `GET /metrics` in the Prometheus text format, and a latency histogram of every route by method, route
 * and status (fastify-metrics), kept in `registry`.
 */
export async function registerMetrics(app: HttpServer, registry: Registry): Promise<void> {
  await app.register(fastifyMetrics, {
    endpoint: null,
    defaultMetrics: { enabled: false },
    routeMetrics: {
      enabled: { histogram: true, summary: false },
      routeBlacklist: ['/metrics'],
      // The summary is off, but the plugin creates it all the same: in this registry, not the global one.
      overrides: { histogram: { registers: [registry] }, summary: { registers: [registry] } },
    },
  })
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()))
}
