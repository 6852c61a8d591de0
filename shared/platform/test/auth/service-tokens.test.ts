import { randomUUID } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import t from 'tap'
import { newKeyPair, signingKeyFrom, verifyingKeysFrom } from '../../src/auth/service-keys.js'
import { createServiceSigner, createServiceVerifier } from '../../src/auth/service-tokens.js'

const gatewayKeys = newKeyPair()
const signingKey = signingKeyFrom(gatewayKeys.signingKey, 'GATEWAY_SIGNING_KEY')
const sign = createServiceSigner('gateway', signingKey)
const trusted = { gateway: verifyingKeysFrom(gatewayKeys.publicKey, 'GATEWAY_PUBLIC_KEYS') }
const alice = { subject: 'alice', roles: ['customer' as const] }
const call = { method: 'POST', url: '/api/orders' }
const seconds = () => Math.floor(Date.now() / 1000)

/** A token with the claims given, signed with the gateway's key as no honest signer would write it. */
function handMade(claims: Record<string, unknown>): string {
  const base = { iss: 'gateway', aud: 'waiter', sub: 'alice', roles: ['customer'], htm: 'POST', htu: '/api/orders', jti: randomUUID(), iat: seconds(), exp: seconds() + 10 }
  return createSigner({ key: signingKey.pem, algorithm: 'EdDSA', kid: signingKey.kid })({ ...base, ...claims })
}

t.test('a token the gateway signed for the waiter and one request verifies, naming the caller and the identity', async (t) => {
  t.same(createServiceVerifier('waiter', trusted)(sign('waiter', alice, call), call), { caller: 'gateway', identity: alice })
})

t.test('the query string is not part of what is signed; the path and the method are', async (t) => {
  const verify = createServiceVerifier('waiter', trusted)
  t.ok(verify(sign('waiter', alice, { method: 'GET', url: '/api/orders?limit=5' }), { method: 'GET', url: '/api/orders?limit=1' }))
  t.throws(() => verify(sign('waiter', alice, call), { method: 'GET', url: '/api/orders' }), /another request/, 'another method')
  t.throws(() => verify(sign('waiter', alice, call), { method: 'POST', url: '/api/orders/x/cancel' }), /another request/, 'another path')
})

t.test('a token is good once: the same token again is a replay', async (t) => {
  const verify = createServiceVerifier('waiter', trusted)
  const token = sign('waiter', alice, call)
  t.ok(verify(token, call))
  t.throws(() => verify(token, call), /already used/)
})

t.test('tokens of a key not trusted, for another audience, unsigned or malformed are refused', async (t) => {
  const verify = createServiceVerifier('waiter', trusted)
  const stranger = createServiceSigner('gateway', signingKeyFrom(newKeyPair().signingKey, 'KEY'))
  t.throws(() => verify(undefined, call), /no identity/)
  t.throws(() => verify('not-a-token', call))
  t.throws(() => verify(stranger('waiter', alice, call), call), /does not trust/)
  t.throws(() => verify(sign('kitchen', alice, call), call), 'meant for the kitchen')
  t.throws(() => verify(handMade({ iss: 'waiter' }), call), 'another issuer on the gateway key')
  const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', kid: signingKey.kid })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'eve' })).toString('base64url')}.`
  t.throws(() => verify(unsigned, call), 'alg none')
  t.throws(() => verify(handMade({ roles: ['root'] }), call), /malformed identity/)
  t.throws(() => verify(handMade({ jti: undefined }), call), 'no token id')
})

t.test('tokens live seconds, with two seconds of clock skew either way', async (t) => {
  const verify = createServiceVerifier('waiter', trusted)
  t.ok(verify(handMade({ iat: seconds() - 11, exp: seconds() - 1 }), call), 'expired a second ago: within the skew')
  t.throws(() => verify(handMade({ iat: seconds() - 15, exp: seconds() - 5 }), call), /expired/)
  t.throws(() => verify(handMade({ iat: seconds() - 60, exp: seconds() + 60 }), call), /expired/, 'issued too long ago, whatever its exp says')
  t.throws(() => verify(handMade({ iat: seconds() + 60, exp: seconds() + 70 }), call), /future/)
})

t.test('while a key is rotated callees trust both; once the old one is dropped its tokens are refused', async (t) => {
  const next = newKeyPair()
  const signNext = createServiceSigner('gateway', signingKeyFrom(next.signingKey, 'KEY'))
  const during = createServiceVerifier('waiter', { gateway: verifyingKeysFrom(`${gatewayKeys.publicKey},${next.publicKey}`, 'KEYS') })
  t.ok(during(sign('waiter', alice, call), call), 'the old key')
  t.ok(during(signNext('waiter', alice, call), call), 'the new key')
  const after = createServiceVerifier('waiter', { gateway: verifyingKeysFrom(next.publicKey, 'KEYS') })
  t.throws(() => after(sign('waiter', alice, call), call), /does not trust/)
})

t.test('a setting that is not an Ed25519 key is refused, naming it', async (t) => {
  t.throws(() => signingKeyFrom('bm90LWEta2V5', 'GATEWAY_SIGNING_KEY'))
  t.throws(() => verifyingKeysFrom(gatewayKeys.signingKey, 'GATEWAY_PUBLIC_KEYS'))
})
