import t from 'tap'
import { asCustomer } from '../../../test/support/credentials.js'
import { startGateway } from '../../../test/support/gateway.js'
import { publicRouteOf } from '../../src/front-door/route-allowlist.js'
import { listening, rawRequest } from '../raw-request.js'
import { startUpstream } from '../upstream.js'

const order = '0190a0a0-0000-7000-8000-000000000000'

t.test('a documented method and path name their public route, parameters included', async (t) => {
  t.match(publicRouteOf('GET', '/api/menu'), { method: 'GET', path: '/api/menu' })
  t.match(publicRouteOf('POST', `/api/orders/${order}/cancel`), { method: 'POST', path: '/api/orders/:id/cancel' })
  t.match(publicRouteOf('HEAD', '/api/menu'), { method: 'GET', path: '/api/menu' }, 'HEAD reads like GET')
})

t.test('an undocumented method or path, or one with encoded or doubled separators, names no route', async (t) => {
  const refused: Array<[string, string]> = [
    ['DELETE', `/api/orders/${order}`],
    ['PUT', '/api/menu'],
    ['GET', '/api/kitchen'],
    ['GET', '/api/orders/..%2f..%2finternal'],
    ['GET', '/api/orders/a/../../menu'],
    ['GET', '/api/./menu'],
    ['GET', '/api//orders'],
    ['GET', '/api/orders\\..\\menu'],
    ['GET', '/api'],
  ]
  for (const [method, path] of refused) t.equal(publicRouteOf(method, path), undefined, `${method} ${path}`)
})

t.test('only the documented paths and methods are forwarded; traversal and encoding tricks never reach the waiter', async (t) => {
  const { url, reached } = await startUpstream(t)
  const { gateway } = await startGateway(t, url)
  const refused: Array<[string, string]> = [
    ['GET', '/api/orders/..%2f..%2finternal%2forders'],
    ['GET', '/api/orders/%2e%2e/%2e%2e/internal/orders'],
    ['GET', '/api/../internal/orders'],
    ['GET', '/api//orders'],
    ['DELETE', `/api/orders/${order}`],
    ['PUT', '/api/menu'],
    ['GET', '/api/kitchen'],
    ['GET', '/api'],
  ]
  for (const [method, path] of refused) {
    const response = await gateway.inject({ method: method as 'GET', url: path })
    t.equal(response.statusCode, 404, `${method} ${path}`)
  }
  t.same(reached, [], 'nothing reached the waiter')
  // Sent as raw bytes: a client library (and inject) would resolve these before sending.
  const port = await listening(gateway)
  for (const path of ['/api/orders/a/../../menu', '/api/orders/..\\..\\menu', '/api/./menu']) {
    t.match(await rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`), /^HTTP\/1\.1 404/, path)
  }
  t.same(reached, [], 'nor did the raw ones')
  for (const [method, path] of [['GET', '/api/menu'], ['GET', '/api/orders?status=ready&limit=5'], ['POST', `/api/orders/${order}/cancel`]] as const) {
    t.equal((await gateway.inject({ method, url: path, headers: asCustomer() })).statusCode, 200, `${method} ${path} is forwarded`)
  }
})
