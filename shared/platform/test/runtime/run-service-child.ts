import { Registry } from 'prom-client'
import { runService, type ServiceSettings } from '../../src/runtime/run-service.js'

/**
 * A service for run-service.test.ts to run in a process of its own. Its first argument names what goes wrong, its
 * second the internal port; what it does is written to stdout as JSON lines, beside its log.
 */
const scenario = process.argv[2] ?? 'healthy'
const internalPort = Number(process.argv[3] ?? 0)
const settings: ServiceSettings = { HOST: '127.0.0.1', PORT: 0, INTERNAL_PORT: internalPort, LOG_LEVEL: 'info', LOG_PRETTY: false, SHUTDOWN_TIMEOUT_MS: 300, READY_CACHE_MS: 0, OTEL_EXPORTER_OTLP_ENDPOINT: '' }
const say = (event: string, fields: object = {}) => process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`)

const mishaps: Record<string, () => void> = {
  rejection: () => void Promise.reject(new Error('a client left')),
  exception: () => {
    throw new Error('a step failed halfway')
  },
}

const loadConfig = () => {
  if (scenario === 'bad-config') throw new Error('env/PORT must be integer')
  return settings
}

runService('child-service', loadConfig, async () => {
  if (scenario === 'dependency-away') throw new Error('RabbitMQ never came')
  const metrics = new Registry()
  return {
    metrics,
    readiness: { broker: { check: async () => undefined } },
    app: {
      async listen(options) {
        // Keeps the process alive, as a listening server would; the mishap comes once the service runs.
        setInterval(() => undefined, 60_000)
        setTimeout(() => mishaps[scenario]?.(), 50)
        say('listening', options)
        return 'http://127.0.0.1:0'
      },
    },
    async close() {
      const statusOf = (path: string) => fetch(`http://127.0.0.1:${internalPort}${path}`).then((response) => response.status, () => 'no answer')
      const [health, ready] = [await statusOf('/health'), await statusOf('/ready')]
      say('closing', { rejections: await metrics.getSingleMetricAsString('process_unhandled_rejections_total'), health, ready })
      if (scenario === 'slow-close') await new Promise(() => undefined)
      say('closed')
    },
  }
})
