import t, { type Test } from 'tap'
import { buildInternalServer } from '@restaurant/platform/http/internal-server'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { asCustomer } from '../../test/support/credentials.js'
import { startGateway as startTestGateway } from '../../test/support/gateway.js'
import { freePort } from '../../test/support/processes.js'
import { gatewayReadiness } from '../src/app.js'
import { listening, rawRequest } from './raw-request.js'
import { startUpstream } from './upstream.js'

async function startGateway(t: Test, waiterUrl: string) {
  return (await startTestGateway(t, waiterUrl)).gateway
}

/** The gateway's internal port, as its entry serves it, in front of `waiterUrl` and `kitchenUrl`. */
async function startProbes(t: Test, waiterUrl: string, kitchenUrl: string) {
  const { redis, config, metrics } = await startTestGateway(t, waiterUrl, { KITCHEN_URL: kitchenUrl })
  const probes = buildInternalServer(createLogger({ name: 'test-gateway', level: 'silent', pretty: false }), { readiness: gatewayReadiness(config, redis), metrics })
  t.teardown(() => probes.close())
  return probes
}

t.test('the gateway is ready only while it reaches the waiter and the kitchen, and reports each', async (t) => {
  const { url, reached } = await startUpstream(t)
  const healthy = await (await startProbes(t, url, url)).inject({ url: '/ready' })
  t.equal(healthy.statusCode, 200)
  t.same(healthy.json(), {
    status: 'ready',
    checks: { waiter: { status: 'up', required: true }, kitchen: { status: 'up', required: true }, redis: { status: 'up', required: false, report: 'PONG' } },
  })
  t.same(reached, ['HEAD /', 'HEAD /'], 'on their public ports')
  const nobody = await freePort()
  const away = await startProbes(t, url, `http://127.0.0.1:${nobody}`)
  const degraded = await away.inject({ url: '/ready' })
  t.equal(degraded.statusCode, 503)
  t.match(degraded.json(), {
    code: 'not-ready',
    detail: `kitchen is down: no answer: connect ECONNREFUSED 127.0.0.1:${nobody}`,
    checks: { waiter: { status: 'up' }, kitchen: { status: 'down' } },
  })
  t.equal((await away.inject({ url: '/health' })).statusCode, 200, 'still alive')
})

t.test('the public port serves no probes and no metrics: they are on the internal port', async (t) => {
  const gateway = await startGateway(t, (await startUpstream(t)).url)
  for (const url of ['/health', '/ready', '/metrics']) t.match((await gateway.inject({ url })).json(), { status: 404, code: 'not-found' }, url)
})

t.test('paths outside /api are a 404 problem and never reach the waiter', async (t) => {
  const { url, reached } = await startUpstream(t)
  const response = await (await startGateway(t, url)).inject({ url: '/internal/orders' })
  t.equal(response.statusCode, 404)
  t.equal(response.json().code, 'not-found')
  t.same(reached, [])
})

t.test('proxied requests are timed in the gateway’s latency histogram by documented route; unknown paths stay bounded', async (t) => {
  const { gateway, metrics } = await startTestGateway(t, (await startUpstream(t)).url)
  await gateway.inject({ method: 'POST', url: '/api/orders', headers: asCustomer('alice'), payload: {} })
  await gateway.inject({ url: `/no-such-path-${Date.now()}` })
  const text = await metrics.metrics()
  t.match(text, /http_request_duration_seconds_count\{service="gateway",method="POST",route="\/api\/orders",status_code="200"\} 1/)
  t.match(text, /http_request_duration_seconds_count\{[^}]*route="__unknown__"[^}]*status_code="404"[^}]*\} 1/)
  t.notMatch(text, /no-such-path/)
})

t.test('a body declared as anything but plain JSON is refused with 415 and never forwarded', async (t) => {
  const { url, reached } = await startUpstream(t)
  const gateway = await startGateway(t, url)
  const tricky = ['application/json;', ' application/json', '\tapplication/json', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']
  for (const type of tricky) {
    const response = await gateway.inject({ method: 'POST', url: '/api/orders', headers: { 'content-type': type, ...asCustomer() }, payload: '{"items":[]}' })
    t.equal(response.statusCode, 415, JSON.stringify(type))
    t.equal(response.json().code, 'unsupported-media-type')
  }
  t.same(reached, [])
  const plain = await gateway.inject({ method: 'POST', url: '/api/orders', headers: { 'content-type': 'application/json; charset=utf-8', ...asCustomer() }, payload: '{}' })
  t.equal(plain.statusCode, 200, 'plain JSON with its charset goes through')
})

t.test('a request with both Content-Length and Transfer-Encoding is refused and never forwarded', async (t) => {
  const { url, reached } = await startUpstream(t)
  const gateway = await startGateway(t, url)
  const request =
    'POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n'
  t.match(await rawRequest(await listening(gateway), request), /^HTTP\/1\.1 400/)
  t.same(reached, [])
})

t.test('the web pages are served, and the development sign-in exists only when it is switched on', async (t) => {
  const { url } = await startUpstream(t)
  const plain = (await startTestGateway(t, url)).gateway
  t.equal((await plain.inject({ url: '/board' })).statusCode, 200)
  t.equal((await plain.inject({ method: 'POST', url: '/auth/dev-token', payload: { role: 'customer' } })).statusCode, 404)
  const dev = (await startTestGateway(t, url, { DEV_SIGN_IN: 'true' })).gateway
  t.equal((await dev.inject({ method: 'POST', url: '/auth/dev-token', payload: { role: 'customer' } })).statusCode, 200)
})
