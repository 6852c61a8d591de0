import t, { type Test } from 'tap'
import { registerHealthRoutes, type DependencyCheck, type HealthOptions } from '../../src/http/health.js'
import { buildHttpServer } from '../../src/http/server.js'
import { createLogger } from '../../src/runtime/logger.js'

async function probedApp(t: Test, checks: Record<string, DependencyCheck>, options?: HealthOptions) {
  const app = await buildHttpServer(createLogger({ name: 'test', level: 'silent', pretty: false }))
  registerHealthRoutes(app, checks, options)
  t.teardown(() => app.close())
  return app
}

async function readinessWith(t: Test, checks: Record<string, DependencyCheck>) {
  return (await probedApp(t, checks)).inject({ url: '/ready' })
}

/** A dependency that counts its checks and holds each one until `answer` is called. */
function heldDependency() {
  const held: (() => void)[] = []
  let checks = 0
  const dependency: DependencyCheck = {
    check: () => {
      checks++
      return new Promise<void>((resolve) => held.push(resolve))
    },
  }
  return { dependency, checks: () => checks, answer: () => held.splice(0).forEach((resolve) => resolve()) }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

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

t.test('twenty concurrent /ready within READY_CACHE_MS make one check', async (t) => {
  const store = heldDependency()
  const app = await probedApp(t, { store: store.dependency }, { readyCacheMs: 60_000 })
  const probes = Array.from({ length: 20 }, () => app.inject({ url: '/ready' }))
  while (store.checks() === 0) await nextTurn()
  store.answer()
  const answers = await Promise.all(probes)
  t.same(answers.map(({ statusCode }) => statusCode), Array(20).fill(200))
  t.equal(store.checks(), 1)
})

t.test('within READY_CACHE_MS a finished answer is served again without a check', async (t) => {
  const store = heldDependency()
  const app = await probedApp(t, { store: store.dependency }, { readyCacheMs: 60_000 })
  const first = app.inject({ url: '/ready' })
  while (store.checks() === 0) await nextTurn()
  store.answer()
  t.equal((await first).statusCode, 200)
  t.equal((await app.inject({ url: '/ready' })).statusCode, 200)
  t.equal(store.checks(), 1)
})

t.test('with READY_CACHE_MS=0 every probe after the last answer checks anew', async (t) => {
  let checks = 0
  const app = await probedApp(t, { store: { check: async () => void checks++ } }, { readyCacheMs: 0 })
  for (let probe = 0; probe < 3; probe++) await app.inject({ url: '/ready' })
  t.equal(checks, 3)
})

t.test('with READY_CACHE_MS=0 a probe arriving while a check runs waits for that check', async (t) => {
  const store = heldDependency()
  const app = await probedApp(t, { store: store.dependency }, { readyCacheMs: 0 })
  let arrived = 0
  app.addHook('preHandler', async () => void arrived++)
  const probes = [app.inject({ url: '/ready' }), app.inject({ url: '/ready' })]
  while (arrived < 2 || store.checks() === 0) await nextTurn()
  await nextTurn()
  store.answer()
  t.same((await Promise.all(probes)).map(({ statusCode }) => statusCode), [200, 200])
  t.equal(store.checks(), 1)
})
