import { createSigner } from 'fast-jwt'
import t from 'tap'
import { createIdentitySigner, createIdentityVerifier } from '../../src/auth/identity-tokens.js'

const secret = 'a-test-identity-secret-of-32-chars!!'
const alice = { subject: 'alice', roles: ['customer' as const] }

t.test('a signed identity verifies with the same secret and carries subject and roles', async (t) => {
  t.same(createIdentityVerifier(secret)(createIdentitySigner(secret)(alice)), alice)
})

t.test('a missing, forged, unsigned or foreign identity is refused', async (t) => {
  const verify = createIdentityVerifier(secret)
  const claims = { sub: 'mallory', roles: ['admin'], iss: 'restaurant-gateway', aud: 'restaurant-services', exp: Math.floor(Date.now() / 1000) + 60 }
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`
  t.throws(() => verify(undefined))
  t.throws(() => verify(createIdentitySigner('another-secret-that-is-32-chars-long')(alice)), 'signed with another secret')
  t.throws(() => verify(unsigned), 'alg none')
  t.throws(() => verify(createSigner({ key: secret })({ ...claims, aud: 'elsewhere' })), 'another audience')
  t.throws(() => verify(createSigner({ key: secret })({ ...claims, exp: Math.floor(Date.now() / 1000) - 1 })), 'expired')
  t.throws(() => verify(createSigner({ key: secret })({ ...claims, roles: ['root'] })), 'a role that does not exist')
})
