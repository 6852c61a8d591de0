import { createSigner } from 'fast-jwt'
import { IdentitySchema, type Identity } from '@restaurant/contracts'
import { Compile } from 'typebox/compile'

/** How people's tokens (JWTs) are signed and checked: one shared secret, pinned HS256, issuer and audience. */
export interface TokenSettings {
  secret: string
  issuer: string
  audience: string
}

export function tokenSettingsFrom(config: { JWT_SECRET: string; JWT_ISSUER: string; JWT_AUDIENCE: string }): TokenSettings {
  return { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }
}

/** Options for @fastify/jwt: only HS256, only our issuer and audience, and `exp` and `sub` required. */
export function jwtOptions({ secret, issuer, audience }: TokenSettings) {
  return {
    secret,
    verify: { algorithms: ['HS256' as const], allowedIss: issuer, allowedAud: audience, requiredClaims: ['sub', 'exp', 'iss', 'aud'] },
  }
}

/** A token for a person, e.g. for local use (`npm run token`); `roles` become the claim of that name. */
export function mintToken({ secret, issuer, audience }: TokenSettings, identity: Identity, expiresInSeconds: number): string {
  const sign = createSigner({ key: secret, algorithm: 'HS256', iss: issuer, aud: audience, expiresIn: expiresInSeconds * 1000 })
  return sign({ sub: identity.subject, roles: identity.roles })
}

const checkIdentity = Compile(IdentitySchema)

/** The identity a verified token's claims stand for; undefined when they do not name one. */
export function identityFromClaims(claims: unknown): Identity | undefined {
  if (typeof claims !== 'object' || claims === null) return undefined
  const identity = { subject: Reflect.get(claims, 'sub'), roles: Reflect.get(claims, 'roles') ?? [] }
  return checkIdentity.Check(identity) ? identity : undefined
}
