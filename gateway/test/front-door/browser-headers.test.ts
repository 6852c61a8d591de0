import t, { type Test } from 'tap'
import { startGateway as startTestGateway } from '../../../test/support/gateway.js'
import { startUpstream } from '../upstream.js'

async function startGateway(t: Test) {
  return (await startTestGateway(t, (await startUpstream(t)).url, { CORS_ORIGINS: 'https://menu.example, https://pass.example' })).gateway
}

t.test('responses carry security headers, and the pages may load only their own scripts', async (t) => {
  const response = await (await startGateway(t)).inject({ url: '/api/menu' })
  t.equal(response.headers['x-content-type-options'], 'nosniff')
  t.match(response.headers['strict-transport-security'], /max-age=/)
  t.match(response.headers['content-security-policy'], /script-src 'self'/)
  t.notMatch(response.headers['content-security-policy'], /upgrade-insecure-requests/)
})

t.test('CORS answers only the allowed origins', async (t) => {
  const gateway = await startGateway(t)
  for (const origin of ['https://menu.example', 'https://pass.example']) {
    const allowed = await gateway.inject({ url: '/api/menu', headers: { origin } })
    t.equal(allowed.headers['access-control-allow-origin'], origin)
  }
  const other = await gateway.inject({ url: '/api/menu', headers: { origin: 'https://evil.example' } })
  t.notOk(other.headers['access-control-allow-origin'])
})

t.test('a browser may read the correlation id and the rate-limit headers', async (t) => {
  const response = await (await startGateway(t)).inject({ url: '/api/menu', headers: { origin: 'https://menu.example' } })
  const exposed = String(response.headers['access-control-expose-headers']).split(/,\s*/)
  for (const header of ['x-request-id', 'retry-after', 'ratelimit-remaining']) t.ok(exposed.includes(header), header)
})
