import { createVerifier } from 'fast-jwt'
import type { Identity } from '@restaurant/contracts/identity'
import { createIdentityJwtSigner, identityFromClaims, jwtVerifyOptions, type TokenSettings } from './identity-jwt.js'

const hop = { issuer: 'restaurant-gateway', audience: 'restaurant-services' }
// Short-lived: the token only has to survive one internal hop.
const lifetimeMs = 60_000

/** Signs an identity for the services with the secret they share with the gateway (HS256). */
export function createIdentitySigner(secret: string): (identity: Identity) => string {
  const settings: TokenSettings = { secret, ...hop }
  return createIdentityJwtSigner(settings, lifetimeMs)
}

/** Verifies a signed identity; throws when it is missing, forged, expired or malformed. */
export function createIdentityVerifier(secret: string): (token: string | undefined) => Identity {
  const verify = createVerifier({ key: secret, ...jwtVerifyOptions(hop) })
  return (token) => {
    if (!token) throw new Error('no identity')
    const identity = identityFromClaims(verify(token))
    if (!identity) throw new Error('malformed identity')
    return identity
  }
}
