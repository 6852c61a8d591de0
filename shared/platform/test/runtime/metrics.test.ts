import t, { type Test } from 'tap'
import { buildHttpServer } from '../../src/http/server.js'
import { createLogger } from '../../src/runtime/logger.js'
import { createMetricsRegistry, registerMetrics } from '../../src/runtime/metrics.js'

async function buildApp(t: Test, service: string) {
  const app = await buildHttpServer(createLogger({ name: 'test', level: 'silent', pretty: false }))
  await registerMetrics(app, createMetricsRegistry(service))
  app.get('/orders/:id', async (request, reply) => reply.code((request.params as { id: string }).id === 'missing' ? 404 : 200).send({}))
  t.teardown(() => app.close())
  return app
}

t.test('/metrics is Prometheus text with a latency histogram per route, method and status, and the runtime', async (t) => {
  const app = await buildApp(t, 'kitchen')
  await app.inject({ url: '/orders/1' })
  await app.inject({ url: '/orders/missing' })
  const response = await app.inject({ url: '/metrics' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const text = response.body
  t.match(text, /http_request_duration_seconds_count\{[^}]*route="\/orders\/:id"[^}]*status_code="200"[^}]*\} 1/)
  t.match(text, /http_request_duration_seconds_count\{[^}]*status_code="404"[^}]*\} 1/)
  t.match(text, /nodejs_eventloop_lag_seconds\{service="kitchen"\}/)
  t.match(text, /process_resident_memory_bytes\{service="kitchen"\}/)
  t.notMatch(text, /route="\/metrics"/, 'scrapes are not counted')
})

t.test('two services in one process keep their metrics apart', async (t) => {
  const [first, second] = [await buildApp(t, 'first'), await buildApp(t, 'second')]
  await first.inject({ url: '/orders/1' })
  t.match((await first.inject({ url: '/metrics' })).body, /http_request_duration_seconds_count\{[^}]*\} 1/)
  t.notMatch((await second.inject({ url: '/metrics' })).body, /http_request_duration_seconds_count\{[^}]*route="\/orders\/:id"/)
})
