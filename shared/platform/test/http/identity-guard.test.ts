import Fastify from 'fastify'
import t, { type Test } from 'tap'
import { IDENTITY_HEADER, type Identity } from '@restaurant/contracts/identity'
import type { Caller } from '@restaurant/contracts/public-routes'
import { newKeyPair, signingKeyFrom, verifyingKeysFrom } from '../../src/auth/service-keys.js'
import { createServiceSigner, createServiceVerifier, type Callee } from '../../src/auth/service-tokens.js'
import { requireIdentity } from '../../src/http/identity-guard.js'
import { registerProblemHandlers } from '../../src/http/problems.js'

const keys = { gateway: newKeyPair(), waiter: newKeyPair() }
const signers = {
  gateway: createServiceSigner('gateway', signingKeyFrom(keys.gateway.signingKey, 'GATEWAY_SIGNING_KEY')),
  waiter: createServiceSigner('waiter', signingKeyFrom(keys.waiter.signingKey, 'WAITER_SIGNING_KEY')),
}
const ann: Identity = { subject: 'user:ann', roles: ['customer'] }

/** A service trusting both callers, with a public route, an internal one (the waiter's alone) and one in no table. */
async function guarded(t: Test, callee: Callee = 'waiter') {
  const app = Fastify({ logger: false })
  registerProblemHandlers(app)
  const trusted = { gateway: verifyingKeysFrom(keys.gateway.publicKey, 'GATEWAY_PUBLIC_KEYS'), waiter: verifyingKeysFrom(keys.waiter.publicKey, 'WAITER_PUBLIC_KEYS') }
  const callerOf = requireIdentity(app, createServiceVerifier(callee, trusted), ['/api/', '/internal/'])
  app.post('/api/orders', async (request) => callerOf(request))
  app.get('/internal/orders', async (request) => callerOf(request))
  app.get('/internal/unlisted', async () => ({ ok: true }))
  app.get('/health', async () => ({ ok: true }))
  t.teardown(() => app.close())
  await app.ready()
  return app
}

const as = (caller: Caller, identity: Identity, method: string, url: string, callee: Callee = 'waiter') => ({ method: method as 'GET', url, headers: { [IDENTITY_HEADER]: signers[caller](callee, identity, { method, url }) } })

t.test('a public route answers an end user the gateway signed for, and hands the handler its identity', async (t) => {
  const reply = await (await guarded(t)).inject(as('gateway', ann, 'POST', '/api/orders'))
  t.equal(reply.statusCode, 200)
  t.match(reply.json(), ann)
})

t.test('without a token, or with a forged one, a guarded route answers 401 identity-required', async (t) => {
  const app = await guarded(t)
  t.equal((await app.inject({ method: 'POST', url: '/api/orders' })).statusCode, 401)
  const forger = createServiceSigner('gateway', signingKeyFrom(newKeyPair().signingKey, 'KEY'))
  const forged = await app.inject({ method: 'POST', url: '/api/orders', headers: { [IDENTITY_HEADER]: forger('waiter', ann, { method: 'POST', url: '/api/orders' }) } })
  t.match(forged.json(), { status: 401, code: 'identity-required' })
})

t.test('the route table decides: roles on public routes, callers on internal ones, nobody on a route in neither', async (t) => {
  const app = await guarded(t)
  t.equal((await app.inject(as('gateway', { subject: 'user:bob', roles: ['staff'] }, 'POST', '/api/orders'))).statusCode, 403, 'a role the route does not admit')
  t.equal((await app.inject(as('waiter', ann, 'POST', '/api/orders'))).statusCode, 403, 'only the gateway asserts end users')
  t.equal((await app.inject(as('waiter', { subject: 'service:waiter', roles: [] }, 'GET', '/internal/orders'))).statusCode, 200, 'the waiter on its internal route')
  t.equal((await app.inject(as('gateway', ann, 'GET', '/internal/orders'))).statusCode, 403, 'the gateway is not among its callers')
  t.equal((await app.inject(as('waiter', ann, 'GET', '/internal/unlisted'))).statusCode, 403, 'a route in no table')
  t.equal((await app.inject({ url: '/health' })).statusCode, 200, 'routes outside the prefixes are open')
})

t.test('a token is good for its own request, callee and moment only', async (t) => {
  const app = await guarded(t)
  const once = as('gateway', ann, 'POST', '/api/orders')
  t.equal((await app.inject(once)).statusCode, 200)
  t.match((await app.inject(once)).json(), { status: 401, title: /already used/ }, 'replayed')
  const retargeted = as('gateway', ann, 'POST', '/api/orders/x/cancel')
  t.match((await app.inject({ ...retargeted, url: '/api/orders' })).json(), { status: 401, title: /another request/ }, 're-targeted')
  t.equal((await app.inject(as('gateway', ann, 'POST', '/api/orders', 'kitchen'))).statusCode, 401, 'meant for another service')
})
