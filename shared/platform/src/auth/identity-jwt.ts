import { createSigner } from 'fast-jwt'
import { Compile } from 'typebox/compile'
import { IdentitySchema, type Identity } from '@restaurant/contracts/identity'

/** How a JWT is signed and checked: one shared secret, pinned HS256, one issuer and one audience. */
export interface TokenSettings {
  secret: string
  issuer: string
  audience: string
}

/** What a verifier demands of a JWT: only HS256, only our issuer and audience, and `sub`, `exp`, `iss`, `aud` present. */
export function jwtVerifyOptions({ issuer, audience }: Pick<TokenSettings, 'issuer' | 'audience'>) {
  return { algorithms: ['HS256' as const], allowedIss: issuer, allowedAud: audience, requiredClaims: ['sub', 'exp', 'iss', 'aud'] }
}

/** Signs identities as JWTs that live `lifetimeMs`: the subject becomes `sub`, the roles the claim of that name. */
export function createIdentityJwtSigner({ secret, issuer, audience }: TokenSettings, lifetimeMs: number): (identity: Identity) => string {
  const sign = createSigner({ key: secret, algorithm: 'HS256', iss: issuer, aud: audience, expiresIn: lifetimeMs })
  return ({ subject, roles }) => sign({ sub: subject, roles })
}

const checkIdentity = Compile(IdentitySchema)

/** The identity a verified JWT's claims stand for (no `roles` claim: no roles); undefined when they name none. */
export function identityFromClaims(claims: unknown): Identity | undefined {
  if (typeof claims !== 'object' || claims === null) return undefined
  const identity = { subject: Reflect.get(claims, 'sub'), roles: Reflect.get(claims, 'roles') ?? [] }
  return checkIdentity.Check(identity) ? identity : undefined
}
