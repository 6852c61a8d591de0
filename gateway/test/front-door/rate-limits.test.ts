import t from 'tap'
import { asCustomer, bearer, admin } from '../../../test/support/credentials.js'
import { startGateway } from '../../../test/support/gateway.js'
import { startUpstream } from '../upstream.js'

const order = { method: 'POST' as const, url: '/api/orders', payload: { items: [{ menuItemId: 'fries', quantity: 1 }] } }

t.test('past the per-address budget: 429 problem with Retry-After, and RateLimit-* headers on every answer', async (t) => {
  const { url } = await startUpstream(t)
  const { gateway } = await startGateway(t, url, { RATE_LIMIT_PER_ADDRESS: '3' })
  const remaining: string[] = []
  for (let i = 0; i < 3; i++) {
    const response = await gateway.inject({ url: '/api/menu' })
    t.equal(response.statusCode, 200)
    t.equal(response.headers['ratelimit-limit'], '3')
    remaining.push(String(response.headers['ratelimit-remaining']))
  }
  t.same(remaining, ['2', '1', '0'])
  const refused = await gateway.inject({ url: '/api/menu' })
  t.equal(refused.statusCode, 429)
  t.match(refused.headers['content-type'], /^application\/problem\+json/)
  t.match(refused.json(), { code: 'too-many-requests', status: 429 })
  t.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After in seconds')
  t.equal(refused.headers['ratelimit-remaining'], '0')
})

t.test('the per-address budget is counted before authentication: bad tokens use it up too', async (t) => {
  const { url, reached } = await startUpstream(t)
  const { gateway } = await startGateway(t, url, { RATE_LIMIT_PER_ADDRESS: '2' })
  for (let i = 0; i < 2; i++) t.equal((await gateway.inject({ url: '/api/orders', headers: bearer('guess') })).statusCode, 401)
  t.equal((await gateway.inject({ url: '/api/orders', headers: asCustomer() })).statusCode, 429)
  t.same(reached, [])
})

t.test('past the per-address budget, a made-up API key is not even looked up, and a valid token read meanwhile still gets 429', async (t) => {
  const { url, reached, credentials } = await startUpstream(t)
  const { gateway } = await startGateway(t, url, { RATE_LIMIT_PER_ADDRESS: '2' })
  const madeUp = (n: number) => bearer(`rk_${String(n).repeat(12)}_${'a'.repeat(43)}`)
  t.same([(await gateway.inject({ url: '/api/orders', headers: madeUp(1) })).statusCode, (await gateway.inject({ url: '/api/orders', headers: madeUp(2) })).statusCode], [401, 401])
  t.equal(credentials.keysAsked.length, 2, 'each unknown key asked of the waiter once')
  t.equal((await gateway.inject({ url: '/api/orders', headers: madeUp(3) })).statusCode, 429)
  t.equal(credentials.keysAsked.length, 2, 'the key past the budget was never asked about')
  t.equal((await gateway.inject({ ...order, headers: asCustomer() })).statusCode, 429, 'its revocation was read alongside the budget, and the budget answers')
  t.same(reached, [])
})

t.test('one IPv6 /64 is one address: spreading requests over its addresses gains nothing, the next /64 has its own budget', async (t) => {
  const { url } = await startUpstream(t)
  const { gateway } = await startGateway(t, url, { RATE_LIMIT_PER_ADDRESS: '3' })
  const from = (remoteAddress: string) => gateway.inject({ url: '/api/menu', remoteAddress })
  const spread = ['2001:db8:5:6::1', '2001:db8:5:6::2', '2001:db8:5:6:ffff::9', '2001:db8:5:6:1234:5678:9abc:def0']
  const statuses = []
  for (const address of spread) statuses.push((await from(address)).statusCode)
  t.same(statuses, [200, 200, 200, 429])
  t.equal((await from('2001:db8:5:7::1')).statusCode, 200, 'another /64')
})

t.test('each credential has its own budget, whatever address it comes from', async (t) => {
  const { url } = await startUpstream(t)
  const { gateway } = await startGateway(t, url, { RATE_LIMIT_PER_CREDENTIAL: '2' })
  const statuses = async (headers: Record<string, string>, times: number) => {
    const answers: number[] = []
    for (let i = 0; i < times; i++) answers.push((await gateway.inject({ url: '/api/orders', headers })).statusCode)
    return answers
  }
  t.same(await statuses(asCustomer('alice'), 3), [200, 200, 429])
  t.same(await statuses(asCustomer('bob'), 2), [200, 200], "alice's budget is not bob's")
})

t.test("a customer's order quota refuses further orders with 429 while reads go on", async (t) => {
  const { url } = await startUpstream(t)
  const { gateway } = await startGateway(t, url, { ORDER_QUOTA: '2' })
  const alice = asCustomer('alice')
  const placed = []
  for (let i = 0; i < 3; i++) placed.push((await gateway.inject({ ...order, headers: alice })).statusCode)
  t.same(placed, [200, 200, 429])
  t.equal((await gateway.inject({ url: '/api/orders', headers: alice })).statusCode, 200, 'reading is not ordering')
  t.equal((await gateway.inject({ ...order, headers: asCustomer('bob') })).statusCode, 200, 'the quota is per customer')
})

t.test('gateway instances on one Redis share each budget', async (t) => {
  const { url } = await startUpstream(t)
  const first = await startGateway(t, url, { RATE_LIMIT_PER_ADDRESS: '2' })
  const second = await startGateway(t, url, { RATE_LIMIT_PER_ADDRESS: '2', REDIS_PREFIX: first.config.REDIS_PREFIX })
  t.equal((await first.gateway.inject({ url: '/api/menu' })).statusCode, 200)
  t.equal((await second.gateway.inject({ url: '/api/menu' })).statusCode, 200)
  t.equal((await first.gateway.inject({ url: '/api/menu' })).statusCode, 429)
  t.equal((await second.gateway.inject({ url: '/api/menu' })).statusCode, 429)
})

t.test('with Redis out of reach: ordinary routes are limited in memory, key management fails closed, credentials are asked of the waiter', async (t) => {
  const { url, reached } = await startUpstream(t)
  const { gateway } = await startGateway(t, url, { REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_PER_ADDRESS: '3' }, { waitForRedis: false })
  t.equal((await gateway.inject({ url: '/api/keys', headers: bearer(admin) })).statusCode, 503, 'key management: 503')
  t.equal((await gateway.inject({ url: '/api/orders', headers: bearer(`rk_${'0'.repeat(12)}_${'a'.repeat(43)}`) })).statusCode, 401, 'a key the waiter does not know: 401')
  t.equal((await gateway.inject({ url: '/api/orders', headers: asCustomer() })).statusCode, 200, "a token's revocation is asked of the waiter")
  t.equal((await gateway.inject({ url: '/api/orders', headers: asCustomer() })).statusCode, 429, 'the in-memory budget of 3 is spent')
  t.same(reached, ['GET /api/orders'], 'only the token holder went through, once')
})

t.test('with Redis out of reach, people with tokens are still served within the in-memory budget', async (t) => {
  const { url } = await startUpstream(t)
  const { gateway } = await startGateway(t, url, { REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_PER_CREDENTIAL: '2' }, { waitForRedis: false })
  const answers: number[] = []
  for (let i = 0; i < 3; i++) answers.push((await gateway.inject({ url: '/api/orders', headers: asCustomer() })).statusCode)
  t.same(answers, [200, 200, 429])
})

t.test('the documentation and the sign-in count against the address budget too', async (t) => {
  const { url } = await startUpstream(t)
  const { gateway } = await startGateway(t, url, { RATE_LIMIT_PER_ADDRESS: '2', DEV_SIGN_IN: 'true' })
  const signIn = { method: 'POST' as const, url: '/auth/dev-token', payload: { role: 'customer' } }
  t.same([(await gateway.inject(signIn)).statusCode, (await gateway.inject({ url: '/docs/json' })).statusCode === 429], [200, false])
  t.equal((await gateway.inject(signIn)).statusCode, 429, 'the sign-in, past the budget')
  t.equal((await gateway.inject({ url: '/docs/json' })).statusCode, 429, 'the documentation, past the budget')
})
