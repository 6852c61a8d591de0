import t, { type Test } from 'tap'
import { registerHealthRoutes, type DependencyCheck } from '../../src/http/health.js'
import { buildHttpServer } from '../../src/http/server.js'
import { createLogger } from '../../src/runtime/logger.js'

async function readinessWith(t: Test, checks: Record<string, DependencyCheck>) {
  const app = await buildHttpServer(createLogger({ name: 'test', level: 'silent', pretty: false }))
  registerHealthRoutes(app, checks)
  t.teardown(() => app.close())
  return app.inject({ url: '/ready' })
}

const up = { check: async () => undefined }
const down = { check: async () => Promise.reject(new Error('connection refused')) }

t.test('ready when every required dependency answers, with a report of each', async (t) => {
  const response = await readinessWith(t, { rabbitmq: up, redis: { ...down, optional: true } })
  t.equal(response.statusCode, 200, 'an optional dependency being down only degrades the service')
  t.same(response.json(), {
    status: 'ready',
    checks: { rabbitmq: { status: 'up', required: true }, redis: { status: 'down', required: false, detail: 'connection refused' } },
  })
})

t.test('not ready, naming each required dependency that is down', async (t) => {
  const response = await readinessWith(t, { rabbitmq: down, store: down, redis: up })
  t.equal(response.statusCode, 503)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.match(response.json(), {
    code: 'not-ready',
    detail: 'rabbitmq is down: connection refused; store is down: connection refused',
    checks: { rabbitmq: { status: 'down' }, store: { status: 'down' }, redis: { status: 'up' } },
  })
})

t.test('a dependency that does not answer in time counts as down', async (t) => {
  const hanging = { check: () => new Promise<never>(() => undefined) }
  const response = await readinessWith(t, { store: hanging })
  t.equal(response.statusCode, 503)
  t.match(response.json(), { detail: 'store is down: no answer within 2000 ms' })
})
