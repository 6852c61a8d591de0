import { createVerifier } from 'fast-jwt'
import t, { type Test } from 'tap'
import { identityFromClaims } from '@restaurant/platform/auth/identity-jwt'
import { buildHttpServer } from '@restaurant/platform/http/server'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { tokenSettings } from '../../../test/support/credentials.js'
import { jwtOptions } from '../../src/auth/tokens.js'
import { registerDevSignIn } from '../../src/pages/dev-sign-in.js'

const verify = createVerifier({ key: tokenSettings.secret, ...jwtOptions(tokenSettings).verify })

async function signIn(t: Test, payload: object, maxLifetimeSeconds = 43_200) {
  const app = await buildHttpServer(createLogger({ name: 'test', level: 'silent', pretty: false }), {})
  registerDevSignIn(app, tokenSettings, maxLifetimeSeconds)
  t.teardown(() => app.close())
  return app.inject({ method: 'POST', url: '/auth/dev-token', payload })
}

t.test('a customer or staff member asking for a token gets one for their role, under the name they give', async (t) => {
  for (const role of ['customer', 'staff'] as const) {
    const response = await signIn(t, { role, subject: 'sam' })
    t.equal(response.statusCode, 200)
    t.same(identityFromClaims(verify(response.json<{ token: string }>().token)), { subject: 'sam', roles: [role] })
  }
})

t.test('without a name, a customer is the guest and staff the pass', async (t) => {
  const subjectOf = async (role: string) => identityFromClaims(verify((await signIn(t, { role })).json<{ token: string }>().token))?.subject
  t.equal(await subjectOf('customer'), 'guest')
  t.equal(await subjectOf('staff'), 'pass')
})

t.test('a token lasts twelve hours, or the longest the gateway accepts when that is shorter, and has an id of its own', async (t) => {
  const claims = verify((await signIn(t, { role: 'customer' })).json<{ token: string }>().token)
  t.equal(claims.exp - claims.iat, 12 * 3600)
  t.match(claims.jti, /^[0-9a-f-]{36}$/)
  const bounded = verify((await signIn(t, { role: 'customer' }, 3_600)).json<{ token: string }>().token)
  t.equal(bounded.exp - bounded.iat, 3_600)
})

t.test('no admin token, and no name with odd characters, is handed out', async (t) => {
  for (const body of [{ role: 'admin' }, { role: 'customer', subject: 'a b' }, { role: 'customer', subject: '' }, { role: 'customer', extra: 1 }]) {
    t.equal((await signIn(t, body)).statusCode, 400, JSON.stringify(body))
  }
})
