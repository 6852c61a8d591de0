import { createVerifier } from 'fast-jwt'
import t from 'tap'
import { identityFromClaims } from '@restaurant/platform/auth/identity-jwt'
import { tokenSettings } from '../../../test/support/credentials.js'
import { jwtOptions } from '../../src/auth/tokens.js'
import { runCli } from './run-cli.js'

const identityIn = (token: string) => identityFromClaims(createVerifier({ key: tokenSettings.secret, ...jwtOptions(tokenSettings).verify })(token.trim()))

t.test('a token for a subject and roles is printed, signed like the gateway signs', async (t) => {
  const { code, stdout } = await runCli('token.ts', ['alice', 'customer,staff', '2'])
  t.equal(code, 0)
  t.same(identityIn(stdout), { subject: 'alice', roles: ['customer', 'staff'] })
})

t.test('--dev prints one token per role', async (t) => {
  const { code, stdout } = await runCli('token.ts', ['--dev'])
  t.equal(code, 0)
  const tokens = [...stdout.matchAll(/^ {2}(\w+) +(\S+)$/gm)].map(([, role, token]) => [role, identityIn(token ?? '')?.roles])
  t.same(tokens, [['customer', ['customer']], ['staff', ['staff']], ['admin', ['admin']]])
})

t.test('without a subject, with an unknown role, or a duration not positive or past JWT_MAX_LIFETIME_SECONDS, it prints its usage and exits 2', async (t) => {
  const attempts = [[], ['alice'], ['alice', 'root'], ['alice', 'customer', '0'], ['alice', 'customer', 'soon'], ['alice', 'customer', '13']]
  const answers = await Promise.all(attempts.map(async (args) => ({ args, ...(await runCli('token.ts', args)) })))
  for (const { args, code, stdout, stderr } of answers) {
    t.equal(code, 2, args.join(' '))
    t.equal(stdout, '')
    t.match(stderr, /^usage:/)
  }
})
