import { createSigner, createVerifier } from 'fast-jwt'
import { Compile } from 'typebox/compile'
import { IdentitySchema, type Identity } from '@restaurant/contracts'

const issuer = 'restaurant-gateway'
const audience = 'restaurant-services'
// Short-lived: the token only has to survive one internal hop.
const lifetimeMs = 60_000
const checkIdentity = Compile(IdentitySchema)

/** Signs an identity for the services with the secret they share with the gateway (HS256). */
export function createIdentitySigner(secret: string): (identity: Identity) => string {
  const sign = createSigner({ key: secret, algorithm: 'HS256', iss: issuer, aud: audience, expiresIn: lifetimeMs })
  return ({ subject, roles: granted }) => sign({ sub: subject, roles: granted })
}

/** Verifies a signed identity; throws when it is missing, forged, expired or malformed. */
export function createIdentityVerifier(secret: string): (token: string | undefined) => Identity {
  const verify = createVerifier({
    key: secret,
    algorithms: ['HS256'],
    allowedIss: issuer,
    allowedAud: audience,
    requiredClaims: ['sub', 'exp', 'iss', 'aud'],
  })
  return (token) => {
    if (!token) throw new Error('no identity')
    const claims: unknown = verify(token)
    const identity = typeof claims === 'object' && claims !== null ? { subject: Reflect.get(claims, 'sub'), roles: Reflect.get(claims, 'roles') } : claims
    if (!checkIdentity.Check(identity)) throw new Error('malformed identity')
    return identity
  }
}
