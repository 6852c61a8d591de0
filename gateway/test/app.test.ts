import t, { type Test } from 'tap'
import Fastify from 'fastify'
import { createLogger } from '@restaurant/shared'
import { buildGatewayApp } from '../src/app.js'

const log = createLogger({ name: 'test', level: 'silent', pretty: false })

/** A real upstream on port 0 that reports what it received. */
async function startUpstream(t: Test, options: { delayMs?: number; ready?: boolean } = {}) {
  const upstream = Fastify()
  upstream.all('/api/*', async (request) => {
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs))
    return { url: request.url, method: request.method, requestId: request.headers['x-request-id'] ?? null }
  })
  upstream.get('/ready', async (_request, reply) => reply.code(options.ready === false ? 503 : 200).send({}))
  const url = await upstream.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => upstream.close())
  return url
}

async function startGateway(t: Test, waiterUrl: string, kitchenUrl = waiterUrl, upstreamTimeoutMs = 2_000) {
  const gateway = buildGatewayApp({ log, waiterUrl, kitchenUrl, upstreamTimeoutMs, corsOrigins: ['http://localhost:3000'], trustProxy: [], requestTimeoutMs: 5_000 })
  t.teardown(() => gateway.close())
  await gateway.ready()
  return gateway
}

t.test('requests under /api reach the waiter with their path, method and correlation id', async (t) => {
  const gateway = await startGateway(t, await startUpstream(t))
  const response = await gateway.inject({ method: 'POST', url: '/api/orders?x=1', headers: { 'x-request-id': 'trace-42' }, payload: {} })
  t.equal(response.statusCode, 200)
  t.same(response.json(), { url: '/api/orders?x=1', method: 'POST', requestId: 'trace-42' })
  t.equal(response.headers['x-request-id'], 'trace-42')
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

t.test('the gateway is ready only when the waiter and the kitchen are', async (t) => {
  const ready = await startUpstream(t)
  const notReady = await startUpstream(t, { ready: false })
  t.equal((await (await startGateway(t, ready, ready)).inject({ url: '/ready' })).statusCode, 200)
  const degraded = await (await startGateway(t, ready, notReady)).inject({ url: '/ready' })
  t.equal(degraded.statusCode, 503)
  t.match(degraded.json(), { code: 'not-ready', detail: 'kitchen is not ready' })
  t.equal((await (await startGateway(t, notReady, ready)).inject({ url: '/health' })).statusCode, 200, 'still alive')
})

t.test('paths outside /api are a 404 problem and never reach the waiter', async (t) => {
  const gateway = await startGateway(t, await startUpstream(t))
  const response = await gateway.inject({ url: '/internal/orders' })
  t.equal(response.statusCode, 404)
  t.equal(response.json().code, 'not-found')
})
