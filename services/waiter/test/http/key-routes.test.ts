import t from 'tap'
import type { Identity } from '@restaurant/contracts/identity'
import { messages } from '../use-cases/fake-ports.js'
import { buildTestApp } from './app-harness.js'

const admin: Identity = { subject: 'owner', roles: ['admin'] }

t.test('an admin creates a key, sees its secret once, and the creation is logged without it', async (t) => {
  const { app, headersOf, lines } = await buildTestApp(t)
  const response = await app.inject({ method: 'POST', url: '/api/keys', payload: { name: 'front till', roles: ['customer'] }, headers: headersOf(admin) })
  t.equal(response.statusCode, 201)
  t.match(response.json(), { id: '000000000001', name: 'front till', roles: ['customer'], key: /^rk_/ })
  t.match(messages(lines, 'api key created'), [{ apiKeyId: '000000000001', name: 'front till', roles: ['customer'] }])
  t.notMatch(JSON.stringify(lines), /rk_/, 'the secret is never logged')
})

t.test('keys are listed, and a revoked one answers as revoked', async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  await app.inject({ method: 'POST', url: '/api/keys', payload: { name: 'till', roles: ['customer'] }, headers: headersOf(admin) })
  t.match((await app.inject({ method: 'GET', url: '/api/keys', headers: headersOf(admin) })).json(), { keys: [{ name: 'till' }] })
  const revoked = await app.inject({ method: 'DELETE', url: '/api/keys/000000000001', headers: headersOf(admin) })
  t.match(revoked.json(), { id: '000000000001', revokedAt: String })
})

t.test('revoking a key that does not exist is 404', async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  const response = await app.inject({ method: 'DELETE', url: '/api/keys/00000000000f', headers: headersOf(admin) })
  t.equal(response.statusCode, 404)
  t.match(response.json(), { code: 'api-key-not-found' })
})

t.test('without the key store, key management fails closed with 503', async (t) => {
  const { app, headersOf, apiKeys } = await buildTestApp(t)
  apiKeys.down = true
  const created = await app.inject({ method: 'POST', url: '/api/keys', payload: { name: 'till', roles: ['customer'] }, headers: headersOf(admin) })
  t.equal(created.statusCode, 503)
  t.match(created.json(), { code: 'key-store-unavailable' })
  t.match(await app.inject({ method: 'GET', url: '/api/keys', headers: headersOf(admin) }), { statusCode: 503 })
})
