import { createVerifier } from 'fast-jwt'
import t from 'tap'
import { identityFromClaims } from '@restaurant/platform/auth/identity-jwt'
import { jwtOptions, mintToken, tokenSettingsFrom } from '../../src/auth/tokens.js'

const config = { JWT_SECRET: 'a-jwt-secret-that-is-32-characters!!', JWT_ISSUER: 'restaurant', JWT_AUDIENCE: 'restaurant-api' }
const settings = tokenSettingsFrom(config)
const verifierOf = (options: ReturnType<typeof jwtOptions>) => createVerifier({ key: options.secret, ...options.verify })

t.test('the token settings are the JWT secret, issuer and audience from the config', async (t) => {
  t.same(settings, { secret: config.JWT_SECRET, issuer: 'restaurant', audience: 'restaurant-api' })
})

t.test('a minted token verifies under the gateway’s JWT options and stands for the person it was minted for', async (t) => {
  const claims: unknown = verifierOf(jwtOptions(settings))(mintToken(settings, { subject: 'alice', roles: ['customer', 'staff'] }, 3_600))
  t.same(identityFromClaims(claims), { subject: 'alice', roles: ['customer', 'staff'] })
  t.match(claims, { iss: 'restaurant', aud: 'restaurant-api' })
})

t.test('a minted token expires after the seconds asked for', async (t) => {
  const claims = verifierOf(jwtOptions(settings))(mintToken(settings, { subject: 'alice', roles: [] }, 90))
  t.equal(claims.exp - claims.iat, 90)
})

t.test('a token minted with other settings does not verify', async (t) => {
  const verify = verifierOf(jwtOptions(settings))
  t.throws(() => verify(mintToken({ ...settings, audience: 'elsewhere' }, { subject: 'alice', roles: [] }, 60)), 'another audience')
  t.throws(() => verify(mintToken({ ...settings, issuer: 'elsewhere' }, { subject: 'alice', roles: [] }, 60)), 'another issuer')
  t.throws(() => verify(mintToken({ ...settings, secret: 'another-secret-that-is-32-chars-long' }, { subject: 'alice', roles: [] }, 60)), 'another secret')
})
