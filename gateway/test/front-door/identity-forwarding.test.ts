import t from 'tap'
import { IDENTITY_HEADER } from '@restaurant/contracts/identity'
import { newKeyPair, signingKeyFrom, verifyingKeysFrom } from '@restaurant/platform/auth/service-keys'
import { createServiceSigner, createServiceVerifier } from '@restaurant/platform/auth/service-tokens'
import { createIdentityForwarding } from '../../src/front-door/identity-forwarding.js'

const keys = newKeyPair()
const forward = createIdentityForwarding(createServiceSigner('gateway', signingKeyFrom(keys.signingKey, 'KEY')))
const verify = createServiceVerifier('waiter', { gateway: verifyingKeysFrom(keys.publicKey, 'KEYS') })
const alice = { subject: 'alice', roles: ['customer' as const] }
const request = { id: 'req-1', method: 'POST', url: '/api/orders?x=1' }

t.test('the forwarded headers carry the caller, signed by the gateway for the waiter and this request, and the request id', async (t) => {
  const headers = forward({ accept: 'application/json' }, alice, request)
  t.equal(headers.accept, 'application/json', 'other headers are kept')
  t.equal(headers['x-request-id'], 'req-1')
  t.same(verify(String(headers[IDENTITY_HEADER]), request), { caller: 'gateway', identity: alice })
})

t.test('no header a client could claim an identity with is forwarded', async (t) => {
  const claimed = ['authorization', 'Proxy-Authorization', 'cookie', 'x-restaurant-identity', 'x-restaurant-anything', 'x-forwarded-user', 'x-remote-email', 'x-auth-roles', 'x-user', 'x-user-id', 'x-auth-token', 'remote-user']
  const headers = forward(Object.fromEntries(claimed.map((name) => [name, 'mallory'])), alice, request)
  t.same(Object.keys(headers).sort(), [IDENTITY_HEADER, 'x-request-id'].sort())
  t.not(headers[IDENTITY_HEADER], 'mallory')
})

t.test('a request id sent by the client is replaced by the one the gateway gave the request', async (t) => {
  t.equal(forward({ 'x-request-id': 'client' }, alice, { ...request, id: 'gateway' })['x-request-id'], 'gateway')
})
