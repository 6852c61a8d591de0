import t from 'tap'
import { buildTestApp } from './http/app-harness.js'

t.test('the app answers its probes: alive always, ready only while every required dependency answers', async (t) => {
  let brokerUp = true
  const { app } = await buildTestApp(t, {
    dependencies: {
      rabbitmq: {
        check: async () => {
          if (!brokerUp) throw new Error('connection closed')
        },
      },
      redis: {
        check: async () => {
          throw new Error('no answer')
        },
        optional: true,
      },
    },
  })
  t.match((await app.inject({ method: 'GET', url: '/health' })).json(), { status: 'ok' })
  const ready = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(ready.statusCode, 200, 'an optional dependency does not decide readiness')
  t.match(ready.json(), { checks: { rabbitmq: { status: 'up' }, redis: { status: 'down', required: false } } })
  brokerUp = false
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 503)
})

t.test('every /api route needs the identity the gateway signs', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of ['/api/menu', '/api/orders', '/api/keys']) t.equal((await app.inject({ method: 'GET', url })).statusCode, 401, url)
})

t.test('the app serves its metrics, the open event streams among them', async (t) => {
  const { app } = await buildTestApp(t)
  const metrics = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(metrics.statusCode, 200)
  t.match(metrics.body, /# TYPE sse_open_streams gauge/)
})
