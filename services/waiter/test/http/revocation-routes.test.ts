import t from 'tap'
import type { Identity } from '@restaurant/contracts/identity'
import { buildTestApp } from './app-harness.js'

const admin: Identity = { subject: 'owner', roles: ['admin'] }

t.test("an admin revokes a subject's tokens and one token by id; both are listed and told to the cache", async (t) => {
  const { app, headersOf, cached } = await buildTestApp(t)
  const bySubject = await app.inject({ method: 'POST', url: '/api/revocations', payload: { subject: 'alice' }, headers: headersOf(admin) })
  t.equal(bySubject.statusCode, 201)
  t.match(bySubject.json(), { subject: 'alice', revokedAt: String })
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString()
  const byId = await app.inject({ method: 'POST', url: '/api/revocations', payload: { tokenId: 'token-1', expiresAt }, headers: headersOf(admin) })
  t.match(byId.json(), { tokenId: 'token-1', expiresAt, revokedAt: String })
  const listed = await app.inject({ method: 'GET', url: '/api/revocations', headers: headersOf(admin) })
  t.match(listed.json(), { subjects: [{ subject: 'alice' }], tokens: [{ tokenId: 'token-1' }] })
  t.equal(cached.length, 2)
})

t.test('a revocation naming neither a subject nor a token with its expiry is refused with 400', async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  for (const payload of [{}, { tokenId: 'token-1' }, { subject: '' }, { subject: 'alice', tokenId: 'token-1' }]) {
    t.equal((await app.inject({ method: 'POST', url: '/api/revocations', payload, headers: headersOf(admin) })).statusCode, 400, JSON.stringify(payload))
  }
})

t.test('a staff member may not revoke tokens', async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  const response = await app.inject({ method: 'POST', url: '/api/revocations', payload: { subject: 'alice' }, headers: headersOf({ subject: 'sam', roles: ['staff'] }) })
  t.equal(response.statusCode, 403)
})

t.test('the gateway fills its cache from every key and revocation, and asks for one key or one token', async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  const created = (await app.inject({ method: 'POST', url: '/api/keys', payload: { name: 'till', roles: ['customer'] }, headers: headersOf(admin) })).json<{ id: string }>()
  await app.inject({ method: 'POST', url: '/api/revocations', payload: { subject: 'alice' }, headers: headersOf(admin) })
  const gateway = headersOf({ subject: 'service:gateway', roles: [] })
  t.match((await app.inject({ method: 'GET', url: '/internal/credentials', headers: gateway })).json(), { subjects: [{ subject: 'alice' }], tokens: [] })
  t.equal((await app.inject({ method: 'POST', url: '/internal/credentials/api-key', payload: { id: '0'.repeat(12) }, headers: gateway })).statusCode, 404)
  t.ok(created.id)
  const claims = { subject: 'alice', issuedAt: Math.floor(Date.now() / 1000) - 60 }
  t.same((await app.inject({ method: 'POST', url: '/internal/credentials/token', payload: claims, headers: gateway })).json(), { revoked: true })
})
