import t, { type Test } from 'tap'
import { asCustomer } from '../../test/support/credentials.js'
import { startGateway as startTestGateway } from '../../test/support/gateway.js'
import { listening, rawRequest } from './raw-request.js'
import { startUpstream } from './upstream.js'

async function startGateway(t: Test, waiterUrl: string, kitchenUrl = waiterUrl) {
  return (await startTestGateway(t, waiterUrl, { KITCHEN_URL: kitchenUrl })).gateway
}

t.test('the gateway is ready only when the waiter and the kitchen are, and reports each upstream', async (t) => {
  const ready = (await startUpstream(t)).url
  const notReady = (await startUpstream(t, { ready: false })).url
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
  const { url, reached } = await startUpstream(t)
  const response = await (await startGateway(t, url)).inject({ url: '/internal/orders' })
  t.equal(response.statusCode, 404)
  t.equal(response.json().code, 'not-found')
  t.same(reached, [])
})

t.test('proxied requests are timed in the gateway’s latency histogram by documented route; scrapes and unknown paths stay bounded', async (t) => {
  const gateway = await startGateway(t, (await startUpstream(t)).url)
  await gateway.inject({ method: 'POST', url: '/api/orders', headers: asCustomer('alice'), payload: {} })
  await gateway.inject({ url: `/no-such-path-${Date.now()}` })
  await gateway.inject({ url: '/metrics' })
  const text = (await gateway.inject({ url: '/metrics' })).body
  t.match(text, /http_request_duration_seconds_count\{service="gateway",method="POST",route="\/api\/orders",status_code="200"\} 1/)
  t.match(text, /http_request_duration_seconds_count\{[^}]*route="__unknown__"[^}]*status_code="404"[^}]*\} 1/)
  t.notMatch(text, /route="\/metrics"|no-such-path/)
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
