import Fastify from 'fastify'
import t, { type Test } from 'tap'
import { IDENTITY_HEADER, type Identity } from '@restaurant/contracts/identity'
import { createIdentitySigner } from '../../src/auth/identity-tokens.js'
import { requireIdentity } from '../../src/http/identity-guard.js'
import { registerProblemHandlers } from '../../src/http/problems.js'

const secret = 'a-test-secret-of-at-least-32-characters'

async function guarded(t: Test) {
  const app = Fastify({ logger: false })
  registerProblemHandlers(app)
  const callerOf = requireIdentity(app, secret, ['/api/'])
  app.post('/api/orders', async (request) => callerOf(request))
  app.get('/health', async () => ({ ok: true }))
  t.teardown(() => app.close())
  await app.ready()
  return app
}

const as = (identity: Identity, key = secret) => ({ [IDENTITY_HEADER]: createIdentitySigner(key)(identity) })

t.test('a guarded route answers a caller the gateway signed for, and hands the handler its identity', async (t) => {
  const app = await guarded(t)
  const reply = await app.inject({ method: 'POST', url: '/api/orders', headers: as({ subject: 'user:ann', roles: ['customer'] }) })
  t.equal(reply.statusCode, 200)
  t.match(reply.json(), { subject: 'user:ann', roles: ['customer'] })
})

t.test('without an identity, or with one signed by another secret, a guarded route answers 401', async (t) => {
  const app = await guarded(t)
  t.equal((await app.inject({ method: 'POST', url: '/api/orders' })).statusCode, 401)
  const forged = await app.inject({ method: 'POST', url: '/api/orders', headers: as({ subject: 'user:eve', roles: ['customer'] }, 'another-secret-of-at-least-32-chars!!') })
  t.equal(forged.statusCode, 401)
  t.equal(forged.json<{ code: string }>().code, 'identity-required')
})

t.test('an identity whose roles the route table does not admit answers 403; routes outside the prefixes are open', async (t) => {
  const app = await guarded(t)
  const staff = await app.inject({ method: 'POST', url: '/api/orders', headers: as({ subject: 'user:bob', roles: ['staff'] }) })
  t.equal(staff.statusCode, 403)
  t.equal((await app.inject({ url: '/health' })).statusCode, 200)
})
