import { createSigner, createVerifier } from 'fast-jwt'
import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'

/** Who may do what: every credential carries one or more roles. */
export const roles = ['customer', 'staff', 'admin'] as const
export const RoleSchema = Type.Enum(roles)
export type Role = Static<typeof RoleSchema>

/** A caller the gateway has authenticated; `subject` owns the orders it places. */
export const IdentitySchema = Type.Object({
  subject: Type.String({ minLength: 1, maxLength: 200 }),
  roles: Type.Array(RoleSchema, { maxItems: roles.length }),
})
export type Identity = Static<typeof IdentitySchema>

/** The caller of a public route that needs no credential. */
export const anonymous: Identity = { subject: 'anonymous', roles: [] }

/** Carries the verified identity from the gateway to the services (and from the waiter to the kitchen). */
export const IDENTITY_HEADER = 'x-restaurant-identity'

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
