import t from 'tap'
import { IDENTITY_HEADER } from '@restaurant/contracts/identity'
import { createIdentityVerifier } from '@restaurant/platform/auth/identity-tokens'
import { createIdentityForwarding } from '../../src/front-door/identity-forwarding.js'

const secret = 'an-identity-secret-of-32-characters!'
const alice = { subject: 'alice', roles: ['customer' as const] }

t.test('the forwarded headers carry the caller signed with the identity secret, and the request id', async (t) => {
  const headers = createIdentityForwarding(secret)({ accept: 'application/json' }, alice, 'req-1')
  t.equal(headers.accept, 'application/json', 'other headers are kept')
  t.equal(headers['x-request-id'], 'req-1')
  t.same(createIdentityVerifier(secret)(String(headers[IDENTITY_HEADER])), alice)
})

t.test('no header a client could claim an identity with is forwarded', async (t) => {
  const claimed = ['authorization', 'Proxy-Authorization', 'cookie', 'x-restaurant-identity', 'x-restaurant-anything', 'x-forwarded-user', 'x-remote-email', 'x-auth-roles', 'x-user', 'x-user-id', 'x-auth-token', 'remote-user']
  const headers = createIdentityForwarding(secret)(Object.fromEntries(claimed.map((name) => [name, 'mallory'])), alice, 'req-1')
  t.same(Object.keys(headers).sort(), [IDENTITY_HEADER, 'x-request-id'].sort())
  t.not(headers[IDENTITY_HEADER], 'mallory')
})

t.test('a request id sent by the client is replaced by the one the gateway gave the request', async (t) => {
  t.equal(createIdentityForwarding(secret)({ 'x-request-id': 'client' }, alice, 'gateway')['x-request-id'], 'gateway')
})
