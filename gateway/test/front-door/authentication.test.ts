import jwt from '@fastify/jwt'
import Fastify from 'fastify'
import t, { type Test } from 'tap'
import type { Identity } from '@restaurant/contracts/identity'
import { findPublicRoute, type PublicRoute } from '@restaurant/contracts/public-routes'
import { badTokens, customer, tokenFor, tokenSettings } from '../../../test/support/credentials.js'
import type { CredentialChecks } from '../../src/auth/credential-checks.js'
import { jwtOptions, mintToken } from '../../src/auth/tokens.js'
import { createAuthenticator } from '../../src/front-door/authentication.js'

const menu = findPublicRoute('GET', '/api/menu') as PublicRoute
const orders = findPublicRoute('GET', '/api/orders') as PublicRoute
const goodKey = `rk_${'1'.repeat(12)}_${'a'.repeat(43)}`
const till: Identity = { subject: `key:${'1'.repeat(12)}`, roles: ['customer'] }

const MAX_LIFETIME_SECONDS = 3_600
type Checks = Pick<CredentialChecks, 'authenticateKey' | 'tokenRevoked'>
const noneRevoked: Checks = { authenticateKey: async (key) => (key === goodKey ? till : undefined), tokenRevoked: async () => false }

/** An app whose one route answers with whom the authenticator takes the caller for, on `route`'s terms. */
async function identifying(t: Test, route: PublicRoute, checks: Partial<Checks> = {}) {
  const app = Fastify()
  await app.register(jwt, jwtOptions(tokenSettings))
  const identify = createAuthenticator(app, { ...noneRevoked, ...checks }, MAX_LIFETIME_SECONDS)
  app.get('/', (request, reply) => identify(request, route, reply))
  t.teardown(() => app.close())
  return (authorization?: string) => app.inject({ url: '/', headers: authorization === undefined ? {} : { authorization } })
}

t.test('a caller without a credential is anonymous on a route open to anyone', async (t) => {
  const call = await identifying(t, menu)
  t.same((await call()).json(), { subject: 'anonymous', roles: [] })
})

t.test('a caller without a credential on a guarded route is refused with 401 and a Bearer challenge', async (t) => {
  const response = await (await identifying(t, orders))()
  t.equal(response.statusCode, 401)
  t.equal(response.json().code, 'UNAUTHORIZED')
  t.equal(response.headers['www-authenticate'], 'Bearer realm="restaurant"')
})

t.test('a valid JWT identifies its subject with its roles, on any route', async (t) => {
  for (const route of [menu, orders]) t.same((await (await identifying(t, route))(`Bearer ${tokenFor(customer('alice'))}`)).json(), customer('alice'))
})

t.test('an invalid credential is refused with 401 even on a route open to anyone', async (t) => {
  const call = await identifying(t, menu)
  for (const [kind, token] of Object.entries(badTokens)) {
    const response = await call(`Bearer ${token}`)
    t.equal(response.statusCode, 401, kind)
    t.equal(response.headers['www-authenticate'], 'Bearer realm="restaurant", error="invalid_token"', kind)
  }
  t.equal((await call('Basic dXNlcjpwYXNz')).statusCode, 401, 'not a bearer credential')
})

t.test('an API key identifies the key it was checked as; an unknown one is refused', async (t) => {
  const call = await identifying(t, orders)
  t.same((await call(`Bearer ${goodKey}`)).json(), till)
  t.equal((await call(`Bearer rk_${'2'.repeat(12)}_${'a'.repeat(43)}`)).statusCode, 401)
})

t.test('an API key that cannot be checked is refused with 503, never taken on trust', async (t) => {
  const call = await identifying(t, menu, { authenticateKey: async () => Promise.reject(new Error('Connection is closed.')) })
  const response = await call(`Bearer ${goodKey}`)
  t.equal(response.statusCode, 503)
  t.match(response.json(), { code: 'KEY_CHECK_UNAVAILABLE' })
  t.notMatch(response.json(), { message: /Connection is closed/ }, 'the cause stays in the log')
})

t.test('a JWT issued to live longer than the maximum lifetime is refused with 401, saying so', async (t) => {
  const call = await identifying(t, orders)
  const response = await call(`Bearer ${mintToken(tokenSettings, customer('alice'), MAX_LIFETIME_SECONDS + 1)}`)
  t.equal(response.statusCode, 401)
  t.match(response.json(), { code: 'UNAUTHORIZED', message: /lives longer than the 3600 seconds/ })
  t.equal((await call(`Bearer ${mintToken(tokenSettings, customer('alice'), MAX_LIFETIME_SECONDS)}`)).statusCode, 200, 'the maximum itself is taken')
})

t.test('a revoked JWT is refused with 401; the check is given its subject, id and time of issue', async (t) => {
  const asked: unknown[] = []
  const call = await identifying(t, orders, { tokenRevoked: async (claims) => (asked.push(claims), true) })
  const response = await call(`Bearer ${tokenFor(customer('alice'))}`)
  t.equal(response.statusCode, 401)
  t.match(response.json(), { message: /revoked/ })
  t.match(asked, [{ subject: 'alice', tokenId: /^[0-9a-f-]{36}$/, issuedAt: Number }])
})

t.test('a JWT whose revocation cannot be checked is refused with 503', async (t) => {
  const call = await identifying(t, orders, { tokenRevoked: async () => Promise.reject(new Error('no waiter')) })
  t.equal((await call(`Bearer ${tokenFor(customer('alice'))}`)).statusCode, 503)
})
