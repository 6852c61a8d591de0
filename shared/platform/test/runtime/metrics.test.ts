import t, { type Test } from 'tap'
import type { Registry } from 'prom-client'
import { buildHttpServer } from '../../src/http/server.js'
import { createLogger } from '../../src/runtime/logger.js'
import { createMetricsRegistry, measureRoutes } from '../../src/runtime/metrics.js'

async function buildApp(t: Test, registry: Registry) {
  const app = await buildHttpServer(createLogger({ name: 'test', level: 'silent', pretty: false }))
  await measureRoutes(app, registry)
  app.get('/orders/:id', async (request, reply) => reply.code((request.params as { id: string }).id === 'missing' ? 404 : 200).send({}))
  t.teardown(() => app.close())
  return app
}

t.test('the registry holds a latency histogram per route, method and status, and the runtime’s metrics', async (t) => {
  const registry = createMetricsRegistry('kitchen')
  const app = await buildApp(t, registry)
  await app.inject({ url: '/orders/1' })
  await app.inject({ url: '/orders/missing' })
  const text = await registry.metrics()
  t.match(text, /http_request_duration_seconds_count\{[^}]*route="\/orders\/:id"[^}]*status_code="200"[^}]*\} 1/)
  t.match(text, /http_request_duration_seconds_count\{[^}]*status_code="404"[^}]*\} 1/)
  t.match(text, /nodejs_eventloop_lag_seconds\{service="kitchen"\}/)
  t.match(text, /process_resident_memory_bytes\{service="kitchen"\}/)
})

t.test('the app itself serves no /metrics: scrapes go to the internal port', async (t) => {
  const app = await buildApp(t, createMetricsRegistry('kitchen'))
  t.equal((await app.inject({ url: '/metrics' })).statusCode, 404)
})

t.test('two services in one process keep their metrics apart', async (t) => {
  const [first, second] = [createMetricsRegistry('first'), createMetricsRegistry('second')]
  await (await buildApp(t, first)).inject({ url: '/orders/1' })
  await buildApp(t, second)
  t.match(await first.metrics(), /http_request_duration_seconds_count\{[^}]*\} 1/)
  t.notMatch(await second.metrics(), /http_request_duration_seconds_count\{[^}]*route="\/orders\/:id"/)
})
