import t from 'tap'
import { buildTestApp } from './http/app-harness.js'

t.test('the app serves no probes and no metrics: they are on the internal port', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of ['/health', '/ready', '/metrics']) t.match((await app.inject({ method: 'GET', url })).json(), { status: 404, code: 'not-found' }, url)
})

t.test('every /api route needs the identity the gateway signs', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of ['/api/menu', '/api/orders', '/api/keys']) t.equal((await app.inject({ method: 'GET', url })).statusCode, 401, url)
})

t.test('the app counts its open event streams in the service’s metrics', async (t) => {
  const { metrics } = await buildTestApp(t)
  t.match(await metrics.metrics(), /# TYPE sse_open_streams gauge/)
})
