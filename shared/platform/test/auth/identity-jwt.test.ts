import { createVerifier } from 'fast-jwt'
import t from 'tap'
import { createIdentityJwtSigner, identityFromClaims, jwtVerifyOptions } from '../../src/auth/identity-jwt.js'

const settings = { secret: 'a-test-jwt-secret-of-at-least-32-chars', issuer: 'test-issuer', audience: 'test-audience' }
const alice = { subject: 'alice', roles: ['customer' as const] }

t.test('a signed identity carries the subject as sub, the roles, the issuer, the audience and its expiry', async (t) => {
  const claims = createVerifier({ key: settings.secret, ...jwtVerifyOptions(settings) })(createIdentityJwtSigner(settings, 60_000)(alice))
  t.match(claims, { sub: 'alice', roles: ['customer'], iss: 'test-issuer', aud: 'test-audience' })
  t.equal(claims.exp - claims.iat, 60, 'lives as long as asked')
})

t.test('the verify options accept only HS256 from this issuer to this audience, with sub, exp, iss and aud required', async (t) => {
  t.same(jwtVerifyOptions(settings), { algorithms: ['HS256'], allowedIss: 'test-issuer', allowedAud: 'test-audience', requiredClaims: ['sub', 'exp', 'iss', 'aud'] })
})

t.test('claims map back to the identity they were signed from', async (t) => {
  t.same(identityFromClaims({ sub: 'alice', roles: ['customer', 'staff'], exp: 1 }), { subject: 'alice', roles: ['customer', 'staff'] })
})

t.test('claims without roles stand for a caller with no roles', async (t) => {
  t.same(identityFromClaims({ sub: 'alice' }), { subject: 'alice', roles: [] })
})

t.test('claims that name no valid identity map to nothing', async (t) => {
  for (const claims of [undefined, null, 'alice', {}, { sub: 42 }, { sub: 'alice', roles: ['root'] }, { sub: 'alice', roles: 'customer' }]) {
    t.equal(identityFromClaims(claims), undefined, JSON.stringify(claims))
  }
})
