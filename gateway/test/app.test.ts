import t, { type Test } from 'tap'
import { asCustomer } from '../../test/support/credentials.js'
import { startGateway as startTestGateway } from '../../test/support/gateway.js'
import { startUpstream as startEcho } from './upstream.js'

const startUpstream = async (t: Test, options: { delayMs?: number; ready?: boolean } = {}) => (await startEcho(t, options)).url

async function startGateway(t: Test, waiterUrl: string, kitchenUrl = waiterUrl, upstreamTimeoutMs = 2_000) {
  const env = { KITCHEN_URL: kitchenUrl, UPSTREAM_TIMEOUT_MS: String(upstreamTimeoutMs), CORS_ORIGINS: 'http://localhost:3000' }
  return (await startTestGateway(t, waiterUrl, env)).gateway
}

t.test('requests under /api reach the waiter with their path, method and correlation id', async (t) => {
  const gateway = await startGateway(t, await startUpstream(t))
  const response = await gateway.inject({ method: 'POST', url: '/api/orders?x=1', headers: { 'x-request-id': 'trace-42', ...asCustomer('alice') }, payload: {} })
  t.equal(response.statusCode, 200)
  t.match(response.json(), { url: '/api/orders?x=1', method: 'POST', requestId: 'trace-42' })
  t.equal(response.headers['x-request-id'], 'trace-42')
})

t.test('the waiter receives the verified caller as a signed identity, and never the credential itself', async (t) => {
  const gateway = await startGateway(t, await startUpstream(t))
  const forged = { 'x-restaurant-identity': 'forged', 'x-user-id': 'mallory', 'x-forwarded-user': 'mallory', cookie: 'session=1' }
  const response = await gateway.inject({ url: '/api/orders', headers: { ...forged, ...asCustomer('alice') } })
  const { identity, headers } = response.json<{ identity: unknown; headers: string[] }>()
  t.same(identity, { subject: 'alice', roles: ['customer'] })
  for (const name of ['authorization', 'cookie', 'x-user-id', 'x-forwarded-user']) t.notOk(headers.includes(name), `${name} is stripped`)
})

t.test('an anonymous caller of an open route is forwarded as anonymous', async (t) => {
  const gateway = await startGateway(t, await startUpstream(t))
  const response = await gateway.inject({ url: '/api/menu' })
  t.same(response.json().identity, { subject: 'anonymous', roles: [] })
})

t.test('a request without a usable correlation id gets a new one, passed on and echoed', async (t) => {
  const gateway = await startGateway(t, await startUpstream(t))
  const response = await gateway.inject({ url: '/api/menu', headers: { 'x-request-id': 'bad id\twith spaces' } })
  const { requestId } = response.json<{ requestId: string }>()
  t.match(requestId, /^[0-9a-f-]{36}$/)
  t.equal(response.headers['x-request-id'], requestId)
})

t.test('an unreachable waiter is a 503 problem, not a hang or a 500', async (t) => {
  const closed = await startUpstream(t)
  const gateway = await startGateway(t, closed.replace(/:\d+$/, ':1'))
  const response = await gateway.inject({ url: '/api/menu' })
  t.equal(response.statusCode, 503)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
})

t.test('a waiter slower than the upstream timeout is a 504 problem', async (t) => {
  const gateway = await startGateway(t, await startUpstream(t, { delayMs: 1_000 }), undefined, 200)
  const response = await gateway.inject({ url: '/api/menu' })
  t.equal(response.statusCode, 504)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
})

t.test('the gateway is ready only when the waiter and the kitchen are, and reports each upstream', async (t) => {
  const ready = await startUpstream(t)
  const notReady = await startUpstream(t, { ready: false })
  const healthy = await (await startGateway(t, ready, ready)).inject({ url: '/ready' })
  t.equal(healthy.statusCode, 200)
  t.same(healthy.json(), {
    status: 'ready',
    checks: {
      waiter: { status: 'up', required: true, report: { status: 'ready' } },
      kitchen: { status: 'up', required: true, report: { status: 'ready' } },
      redis: { status: 'up', required: false, report: 'PONG' },
    },
  })
  const degraded = await (await startGateway(t, ready, notReady)).inject({ url: '/ready' })
  t.equal(degraded.statusCode, 503)
  t.match(degraded.json(), {
    code: 'not-ready',
    detail: 'kitchen is down: answered 503',
    checks: { waiter: { status: 'up' }, kitchen: { status: 'down', report: { detail: 'rabbitmq is down' } } },
  })
  t.equal((await (await startGateway(t, notReady, ready)).inject({ url: '/health' })).statusCode, 200, 'still alive')
})

t.test('paths outside /api are a 404 problem and never reach the waiter', async (t) => {
  const gateway = await startGateway(t, await startUpstream(t))
  const response = await gateway.inject({ url: '/internal/orders' })
  t.equal(response.statusCode, 404)
  t.equal(response.json().code, 'not-found')
})

t.test('proxied requests are timed in the gateway’s latency histogram by documented route; scrapes and unknown paths stay bounded', async (t) => {
  const gateway = await startGateway(t, await startUpstream(t))
  await gateway.inject({ method: 'POST', url: '/api/orders', headers: asCustomer('alice'), payload: {} })
  await gateway.inject({ url: `/no-such-path-${Date.now()}` })
  await gateway.inject({ url: '/metrics' })
  const text = (await gateway.inject({ url: '/metrics' })).body
  t.match(text, /http_request_duration_seconds_count\{service="gateway",method="POST",route="\/api\/orders",status_code="200"\} 1/)
  t.match(text, /http_request_duration_seconds_count\{[^}]*route="__unknown__"[^}]*status_code="404"[^}]*\} 1/)
  t.notMatch(text, /route="\/metrics"|no-such-path/)
})
