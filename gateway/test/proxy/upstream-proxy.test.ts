import t, { type Test } from 'tap'
import { asCustomer } from '../../../test/support/credentials.js'
import { startGateway as startTestGateway } from '../../../test/support/gateway.js'
import { startUpstream } from '../upstream.js'

async function gatewayInFrontOfEcho(t: Test) {
  const { url, reached } = await startUpstream(t)
  return { gateway: (await startTestGateway(t, url)).gateway, reached }
}

t.test('requests under /api reach the waiter with their path, method and correlation id', async (t) => {
  const { gateway } = await gatewayInFrontOfEcho(t)
  const response = await gateway.inject({ method: 'POST', url: '/api/orders?x=1', headers: { 'x-request-id': 'trace-42', ...asCustomer('alice') }, payload: {} })
  t.equal(response.statusCode, 200)
  t.match(response.json(), { url: '/api/orders?x=1', method: 'POST', requestId: 'trace-42' })
  t.equal(response.headers['x-request-id'], 'trace-42')
})

t.test('the waiter receives the verified caller as a signed identity, and never the credential itself', async (t) => {
  const { gateway } = await gatewayInFrontOfEcho(t)
  const forged = { 'x-restaurant-identity': 'forged', 'x-user-id': 'mallory', 'x-forwarded-user': 'mallory', cookie: 'session=1' }
  const response = await gateway.inject({ url: '/api/orders', headers: { ...forged, ...asCustomer('alice') } })
  const { identity, headers } = response.json<{ identity: unknown; headers: string[] }>()
  t.same(identity, { subject: 'alice', roles: ['customer'] })
  for (const name of ['authorization', 'cookie', 'x-user-id', 'x-forwarded-user']) t.notOk(headers.includes(name), `${name} is stripped`)
})

t.test('an anonymous caller of an open route is forwarded as anonymous', async (t) => {
  const { gateway } = await gatewayInFrontOfEcho(t)
  const response = await gateway.inject({ url: '/api/menu' })
  t.same(response.json().identity, { subject: 'anonymous', roles: [] })
})

t.test('a request without a usable correlation id gets a new one, passed on and echoed', async (t) => {
  const { gateway } = await gatewayInFrontOfEcho(t)
  const response = await gateway.inject({ url: '/api/menu', headers: { 'x-request-id': 'bad id\twith spaces' } })
  const { requestId } = response.json<{ requestId: string }>()
  t.match(requestId, /^[0-9a-f-]{36}$/)
  t.equal(response.headers['x-request-id'], requestId)
})

t.test('the contract under /docs is read from the waiter, and only read', async (t) => {
  const { gateway, reached } = await gatewayInFrontOfEcho(t)
  t.equal((await gateway.inject({ url: '/docs/json' })).statusCode, 200)
  t.equal((await gateway.inject({ method: 'POST', url: '/docs/json', payload: {} })).statusCode, 404)
  t.same(reached, ['GET /docs/json'])
})

t.test('a JSON body nested too deeply to forward is a 400 problem, and reaches no waiter', async (t) => {
  const { gateway, reached } = await gatewayInFrontOfEcho(t)
  const depth = 20_000
  const payload = '['.repeat(depth) + ']'.repeat(depth)
  const response = await gateway.inject({ method: 'POST', url: '/api/orders', headers: { 'content-type': 'application/json', ...asCustomer('alice') }, payload })
  t.equal(response.statusCode, 400)
  t.match(response.json(), { status: 400, code: 'body-too-deep' })
  t.equal(reached.length, 0)
})

t.test('a body over the limit is a 413 problem, and reaches no waiter', async (t) => {
  const { gateway, reached } = await gatewayInFrontOfEcho(t)
  const payload = JSON.stringify({ items: [{ menuItemId: 'fries', quantity: 1, notes: 'x'.repeat(70_000) }] })
  const response = await gateway.inject({ method: 'POST', url: '/api/orders', headers: { 'content-type': 'application/json', ...asCustomer('alice') }, payload })
  t.equal(response.statusCode, 413)
  t.match(response.json(), { status: 413, code: 'body-too-large' })
  t.equal(reached.length, 0)
})
