import t from 'tap'
import { apiKeyIdOf, identityOfApiKey, mintApiKey } from '../../src/auth/api-keys.js'

const now = new Date('2026-01-02T03:04:05.000Z')

t.test('a minted key authenticates as its own subject with its roles', async (t) => {
  const { key, stored } = mintApiKey({ name: 'front till', roles: ['customer'] }, now)
  t.match(key, /^rk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
  t.same(stored.apiKey, { id: apiKeyIdOf(key), name: 'front till', roles: ['customer'], createdAt: now.toISOString() })
  t.same(identityOfApiKey(key, stored), { subject: `key:${stored.apiKey.id}`, roles: ['customer'] })
})

t.test('what is kept of a key holds a hash of its secret, never the secret', async (t) => {
  const { key, stored } = mintApiKey({ name: 'till', roles: ['customer'] }, now)
  const secret = key.split('_').slice(2).join('_')
  t.match(stored.hash, /^[0-9a-f]{64}$/)
  t.notOk(JSON.stringify(stored).includes(secret))
})

t.test('a wrong secret, another key\'s record, a malformed key or no record authenticates nobody', async (t) => {
  const { key, stored } = mintApiKey({ name: 'till', roles: ['customer'] }, now)
  const other = mintApiKey({ name: 'other', roles: ['customer'] }, now)
  t.equal(identityOfApiKey(`rk_${stored.apiKey.id}_${'A'.repeat(43)}`, stored), undefined, 'wrong secret')
  t.equal(identityOfApiKey(key, other.stored), undefined, "another key's record")
  for (const malformed of ['rk_short', `${key}x`]) t.equal(identityOfApiKey(malformed, stored), undefined, malformed.slice(0, 20))
  t.equal(apiKeyIdOf('rk_short'), undefined)
  t.equal(identityOfApiKey(key, undefined), undefined, 'unknown')
})

t.test('a revoked key authenticates nobody', async (t) => {
  const { key, stored } = mintApiKey({ name: 'partner', roles: ['customer'] }, now)
  t.equal(identityOfApiKey(key, { ...stored, apiKey: { ...stored.apiKey, revokedAt: now.toISOString() } }), undefined)
})
