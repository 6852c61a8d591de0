import t, { type Test } from 'tap'
import { badTokens, bearer, staff } from '../../../test/support/credentials.js'
import { startGateway } from '../../../test/support/gateway.js'
import { startUpstream } from '../upstream.js'

async function guardedGateway(t: Test, env: Record<string, string> = {}) {
  const { url, reached } = await startUpstream(t)
  return { gateway: (await startGateway(t, url, env)).gateway, reached }
}

t.test('an undocumented route is a 404 before any credential is asked for', async (t) => {
  const { gateway, reached } = await guardedGateway(t)
  const response = await gateway.inject({ url: '/api/kitchen', headers: bearer(badTokens.garbage) })
  t.equal(response.statusCode, 404)
  t.same(reached, [])
})

t.test('a bad credential is a 401 before its roles are looked at', async (t) => {
  const { gateway } = await guardedGateway(t)
  t.equal((await gateway.inject({ method: 'PATCH', url: '/api/menu/fries', headers: bearer(badTokens.expired), payload: {} })).statusCode, 401)
})

t.test('a caller without a role the route admits is a 403 problem and is not forwarded', async (t) => {
  const { gateway, reached } = await guardedGateway(t)
  const response = await gateway.inject({ method: 'POST', url: '/api/orders', headers: bearer(staff), payload: {} })
  t.equal(response.statusCode, 403)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.same(reached, [])
})

t.test('anonymous callers of an open route spend only their address budget', async (t) => {
  const { gateway } = await guardedGateway(t, { RATE_LIMIT_PER_CREDENTIAL: '1' })
  const answers: number[] = []
  for (let i = 0; i < 3; i++) answers.push((await gateway.inject({ url: '/api/menu' })).statusCode)
  t.same(answers, [200, 200, 200])
})

t.test('key management has its own budget per credential, apart from the other routes', async (t) => {
  const { gateway } = await guardedGateway(t, { RATE_LIMIT_PER_CREDENTIAL: '1' })
  const owner = bearer({ subject: 'owner', roles: ['admin', 'customer'] })
  t.equal((await gateway.inject({ url: '/api/keys', headers: owner })).statusCode, 200)
  t.equal((await gateway.inject({ url: '/api/orders', headers: owner })).statusCode, 200, 'ordering has its budget')
  t.equal((await gateway.inject({ url: '/api/keys', headers: owner })).statusCode, 429)
})
