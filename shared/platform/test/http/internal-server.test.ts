import t, { type Test } from 'tap'
import { buildInternalServer } from '../../src/http/internal-server.js'
import { createLogger } from '../../src/runtime/logger.js'
import { createMetricsRegistry } from '../../src/runtime/metrics.js'

const log = createLogger({ name: 'test', level: 'silent', pretty: false })

function internalServer(t: Test, brokerUp: () => boolean) {
  const server = buildInternalServer(log, {
    readiness: { rabbitmq: { check: async () => (brokerUp() ? undefined : Promise.reject(new Error('connection closed'))) } },
    metrics: createMetricsRegistry('probed'),
  })
  t.teardown(() => server.close())
  return server
}

t.test('the internal server answers /health, /ready from the service’s checks, and /metrics from its registry', async (t) => {
  let brokerUp = true
  const server = internalServer(t, () => brokerUp)
  t.same((await server.inject({ url: '/health' })).json(), { status: 'ok' })
  t.match((await server.inject({ url: '/ready' })).json(), { status: 'ready', checks: { rabbitmq: { status: 'up' } } })
  brokerUp = false
  t.match((await server.inject({ url: '/ready' })).json(), { code: 'not-ready', detail: 'rabbitmq is down: connection closed' })
  const metrics = await server.inject({ url: '/metrics' })
  t.match(metrics.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  t.match(metrics.body, /process_resident_memory_bytes\{service="probed"\}/)
})

t.test('the internal server serves nothing else: any other path is a 404 problem', async (t) => {
  const response = await internalServer(t, () => true).inject({ url: '/api/orders' })
  t.equal(response.statusCode, 404)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
})
