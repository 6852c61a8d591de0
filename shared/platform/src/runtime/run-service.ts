import closeWithGrace from 'close-with-grace'
import type { Logger } from 'pino'
import { Counter, type Registry } from 'prom-client'
import type { DependencyCheck } from '../http/health.js'
import { buildInternalServer, type Probes } from '../http/internal-server.js'
import { createLogger } from './logger.js'
import { startTracing } from './tracing.js'

/** The settings every service's entry needs, whatever else its configuration holds. */
export interface ServiceSettings {
  HOST: string
  PORT: number
  /** Where `/health`, `/ready` and `/metrics` are served, apart from the API. */
  INTERNAL_PORT: number
  LOG_LEVEL: string
  LOG_PRETTY: boolean
  SHUTDOWN_TIMEOUT_MS: number
  /** How long a `/ready` answer is served again before the dependencies are checked anew. */
  READY_CACHE_MS: number
  OTEL_EXPORTER_OTLP_ENDPOINT: string
}

export interface RunningService extends Probes {
  /** The public API and pages. */
  app: { listen(options: { host: string; port: number }): Promise<string> }
  /** Stops intake, finishes the work in hand, closes connections. */
  close(): Promise<void>
  /** The service's metrics, where the unhandled rejections are counted. */
  metrics: Registry
}

/**
 * The entry every service shares: configuration read once, a logger, start, listen (the API on PORT; probes and
 * metrics on INTERNAL_PORT), and on SIGTERM or SIGINT a graceful close bounded by SHUTDOWN_TIMEOUT_MS, after which
 * the last spans are sent. The internal port closes last, so that `/health` answers while the service drains (and
 * `/ready` says it is not ready). A
 * failed start-up (bad configuration, a dependency that never came) ends the process with one readable line rather
 * than a stack trace.
 */
export function runService<C extends ServiceSettings>(
  name: string,
  loadConfig: () => C,
  start: (config: C, log: Logger) => Promise<RunningService>,
): void {
  const run = async () => {
    const config = loadConfig()
    const log = createLogger({ name, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY })
    // Before anything is built: the HTTP server and the bus instrument themselves only when tracing is on.
    const tracing = startTracing({ service: name, endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT })
    const service = await start(config, log)
    const draining = new AbortController()
    const internal = buildInternalServer(log, { metrics: service.metrics, readiness: { ...service.readiness, work: takingWork(draining.signal) } }, { readyCacheMs: config.READY_CACHE_MS })
    await service.app.listen({ host: config.HOST, port: config.PORT })
    await internal.listen({ host: config.HOST, port: config.INTERNAL_PORT })
    carryOnAfterUnhandledRejections(service.metrics, log)
    // An uncaught exception is fatal: it escaped mid-step and may have left state half-changed, so the service
    // closes gracefully and exits (its orchestrator restarts it; the broker redelivers what it held).
    closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger: log, skip: ['unhandledRejection'] }, async ({ signal, err }) => {
      if (err) log.error({ err }, 'shutting down after an error')
      log.info({ signal }, 'shutting down: no new work, finishing the work in hand')
      draining.abort()
      await service.close()
      await internal.close()
      await tracing.shutdown()
    })
  }
  run().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err)
    process.stderr.write(`${name} could not start: ${message}\n`)
    process.exit(1)
  })
}

/** Up until a graceful stop begins: then `/ready` says no, so that no load balancer sends work to a service draining its own. */
function takingWork(draining: AbortSignal): DependencyCheck {
  return {
    check: async () => {
      if (draining.aborted) throw new Error('shutting down: finishing the work in hand')
    },
  }
}

/**
 * A rejected promise nobody awaited is the failure of one piece of work (a write to a client that left, a
 * background refresh): it is logged with its context and counted, and the service carries on. Ending the
 * process for it would let any client that drops a connection at the wrong moment stop the service.
 */
function carryOnAfterUnhandledRejections(registry: Registry, log: Logger): void {
  const counter = new Counter({ name: 'process_unhandled_rejections_total', help: 'Rejected promises no code handled (logged; the service carried on)', registers: [registry] })
  process.on('unhandledRejection', (err) => {
    counter.inc()
    log.error({ err }, 'unhandled rejection; carrying on')
  })
}
