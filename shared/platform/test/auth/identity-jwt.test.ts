import { createVerifier } from 'fast-jwt'
import t from 'tap'
import { createIdentityJwtSigner, identityFromClaims, jwtVerifyOptions, lifetimeProblem, userTokenFactsOf } from '../../src/auth/identity-jwt.js'

const settings = { secret: 'a-test-jwt-secret-of-at-least-32-chars', issuer: 'test-issuer', audience: 'test-audience' }
const alice = { subject: 'alice', roles: ['customer' as const] }

t.test('a signed identity carries the subject as sub, the roles, the issuer, the audience and its expiry', async (t) => {
  const claims = createVerifier({ key: settings.secret, ...jwtVerifyOptions(settings) })(createIdentityJwtSigner(settings, 60_000)(alice))
  t.match(claims, { sub: 'alice', roles: ['customer'], iss: 'test-issuer', aud: 'test-audience' })
  t.equal(claims.exp - claims.iat, 60, 'lives as long as asked')
})

t.test('the verify options accept only HS256 from this issuer to this audience, with sub, iat, exp, iss and aud required', async (t) => {
  t.same(jwtVerifyOptions(settings), { algorithms: ['HS256'], allowedIss: 'test-issuer', allowedAud: 'test-audience', requiredClaims: ['sub', 'iat', 'exp', 'iss', 'aud'] })
})

t.test('every signed token has an id of its own', async (t) => {
  const sign = createIdentityJwtSigner(settings, 60_000)
  const verify = createVerifier({ key: settings.secret, ...jwtVerifyOptions(settings) })
  const [first, second] = [verify(sign(alice)), verify(sign(alice))]
  t.match(first.jti, /^[0-9a-f-]{36}$/)
  t.not(first.jti, second.jti)
})

t.test("a token's facts are its sub, jti, iat and exp; claims without them in the right types have none", async (t) => {
  t.same(userTokenFactsOf({ sub: 'alice', jti: 'j1', iat: 10, exp: 20 }), { subject: 'alice', tokenId: 'j1', issuedAt: 10, expiresAt: 20 })
  t.same(userTokenFactsOf({ sub: 'alice', iat: 10, exp: 20 }), { subject: 'alice', issuedAt: 10, expiresAt: 20 }, 'a token without an id')
  for (const claims of [null, { sub: 'alice', exp: 20 }, { sub: 'alice', iat: '10', exp: 20 }]) t.equal(userTokenFactsOf(claims), undefined, JSON.stringify(claims))
})

t.test('a token issued to live up to the maximum is taken; a second more, or issued in the future, is not', async (t) => {
  const now = 1_000_000
  const facts = (issuedAt: number, expiresAt: number) => ({ subject: 'alice', issuedAt, expiresAt })
  t.equal(lifetimeProblem(facts(now, now + 3_600), 3_600, now), undefined)
  t.match(lifetimeProblem(facts(now, now + 3_601), 3_600, now), /lives longer than the 3600 seconds/)
  t.equal(lifetimeProblem(facts(now + 30, now + 60), 3_600, now), undefined, 'a clock a little ahead')
  t.match(lifetimeProblem(facts(now + 86_400, now + 87_000), 3_600, now), /issued in the future/, 'a future iat would stretch the bound')
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
