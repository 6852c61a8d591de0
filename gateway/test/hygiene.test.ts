import { connect } from 'node:net'
import { once } from 'node:events'
import t, { type Test } from 'tap'
import { asCustomer } from '../../test/support/credentials.js'
import { startGateway as startTestGateway } from '../../test/support/gateway.js'
import { startUpstream } from './upstream.js'

const auth = asCustomer()

/** The gateway in front of an upstream that records what reaches it. */
async function startGateway(t: Test) {
  const { url, reached } = await startUpstream(t)
  const { gateway } = await startTestGateway(t, url, { CORS_ORIGINS: 'https://menu.example' })
  return { gateway, reached }
}

t.test('a body declared as anything but plain JSON is refused with 415 and never forwarded', async (t) => {
  const { gateway, reached } = await startGateway(t)
  const tricky = ['application/json;', ' application/json', '\tapplication/json', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']
  for (const type of tricky) {
    const response = await gateway.inject({ method: 'POST', url: '/api/orders', headers: { 'content-type': type, ...auth }, payload: '{"items":[]}' })
    t.equal(response.statusCode, 415, JSON.stringify(type))
    t.equal(response.json().code, 'unsupported-media-type')
  }
  t.same(reached, [])
  const plain = await gateway.inject({ method: 'POST', url: '/api/orders', headers: { 'content-type': 'application/json; charset=utf-8', ...auth }, payload: '{}' })
  t.equal(plain.statusCode, 200, 'plain JSON with its charset goes through')
})

t.test('only the documented paths and methods are forwarded; traversal and encoding tricks never reach the waiter', async (t) => {
  const { gateway, reached } = await startGateway(t)
  const refused: Array<[string, string]> = [
    ['GET', '/api/orders/..%2f..%2finternal%2forders'],
    ['GET', '/api/orders/%2e%2e/%2e%2e/internal/orders'],
    ['GET', '/api/../internal/orders'],
    ['GET', '/api//orders'],
    ['DELETE', '/api/orders/0190a0a0-0000-7000-8000-000000000000'],
    ['PUT', '/api/menu'],
    ['GET', '/api/kitchen'],
    ['GET', '/api'],
  ]
  for (const [method, url] of refused) {
    const response = await gateway.inject({ method: method as 'GET', url })
    t.equal(response.statusCode, 404, `${method} ${url}`)
  }
  t.same(reached, [], 'nothing reached the waiter')
  // Sent as raw bytes: a client library (and inject) would resolve these before sending.
  const port = await listening(gateway)
  for (const path of ['/api/orders/a/../../menu', '/api/orders/..\\..\\menu', '/api/./menu']) {
    t.match(await rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`), /^HTTP\/1\.1 404/, path)
  }
  t.same(reached, [], 'nor did the raw ones')
  for (const [method, url] of [['GET', '/api/menu'], ['GET', '/api/orders?status=ready&limit=5'], ['POST', '/api/orders/0190a0a0-0000-7000-8000-000000000000/cancel']] as const) {
    t.equal((await gateway.inject({ method, url, headers: auth })).statusCode, 200, `${method} ${url} is forwarded`)
  }
})

t.test('responses carry security headers', async (t) => {
  const { gateway } = await startGateway(t)
  const response = await gateway.inject({ url: '/api/menu' })
  t.equal(response.headers['x-content-type-options'], 'nosniff')
  t.match(response.headers['strict-transport-security'], /max-age=/)
  t.ok(response.headers['content-security-policy'])
})

t.test('CORS answers only the allowed origins', async (t) => {
  const { gateway } = await startGateway(t)
  const allowed = await gateway.inject({ url: '/api/menu', headers: { origin: 'https://menu.example' } })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://menu.example')
  const other = await gateway.inject({ url: '/api/menu', headers: { origin: 'https://evil.example' } })
  t.notOk(other.headers['access-control-allow-origin'])
})

t.test('a request with both Content-Length and Transfer-Encoding is refused and never forwarded', async (t) => {
  const { gateway, reached } = await startGateway(t)
  const request =
    'POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n'
  t.match(await rawRequest(await listening(gateway), request), /^HTTP\/1\.1 400/)
  t.same(reached, [])
})

async function listening(gateway: Awaited<ReturnType<typeof startGateway>>['gateway']): Promise<number> {
  if (!gateway.server.listening) await gateway.listen({ host: '127.0.0.1', port: 0 })
  const address = gateway.server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** Sends bytes exactly as given and returns what the server answered before closing or going quiet. */
async function rawRequest(port: number, request: string): Promise<string> {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  let answer = ''
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
  socket.write(request)
  await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 1_000))])
  socket.destroy()
  return answer
}
