import { randomUUID } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import { Compile } from 'typebox/compile'
import { IdentitySchema, type Identity } from '@restaurant/contracts/identity'

/** How a JWT is signed and checked: one shared secret, pinned HS256, one issuer and one audience. */
export interface TokenSettings {
  secret: string
  issuer: string
  audience: string
}

/** What a verifier demands of a JWT: only HS256, only our issuer and audience, and `sub`, `iat`, `exp`, `iss`, `aud` present. */
export function jwtVerifyOptions({ issuer, audience }: Pick<TokenSettings, 'issuer' | 'audience'>) {
  return { algorithms: ['HS256' as const], allowedIss: issuer, allowedAud: audience, requiredClaims: ['sub', 'iat', 'exp', 'iss', 'aud'] }
}

/**
 * Signs identities as JWTs that live `lifetimeMs`: the subject becomes `sub`, the roles the claim of that name, and
 * each token gets an id of its own (`jti`), by which it can be revoked.
 */
export function createIdentityJwtSigner({ secret, issuer, audience }: TokenSettings, lifetimeMs: number): (identity: Identity) => string {
  const sign = createSigner({ key: secret, algorithm: 'HS256', iss: issuer, aud: audience, expiresIn: lifetimeMs })
  return ({ subject, roles }) => sign({ sub: subject, roles, jti: randomUUID() })
}

// A token issued by a clock this far ahead of ours is still taken as issued now.
const ISSUED_AT_SKEW_SECONDS = 60

/** What a verified user token says of itself, in seconds: who, which token, issued and expiring when. */
export interface UserTokenFacts {
  subject: string
  tokenId?: string
  issuedAt: number
  expiresAt: number
}

/** The facts of verified claims (`sub`, `iat` and `exp` are required by the verifier); undefined when they are not of the right types. */
export function userTokenFactsOf(claims: unknown): UserTokenFacts | undefined {
  if (typeof claims !== 'object' || claims === null) return undefined
  const [subject, tokenId, issuedAt, expiresAt] = ['sub', 'jti', 'iat', 'exp'].map((name) => Reflect.get(claims, name) as unknown)
  if (typeof subject !== 'string' || typeof issuedAt !== 'number' || typeof expiresAt !== 'number') return undefined
  return { subject, ...(typeof tokenId === 'string' ? { tokenId } : {}), issuedAt, expiresAt }
}

/**
 * Why a user token lives too long to be taken, or undefined: it was issued to live more than `maxLifetimeSeconds`
 * (`exp` − `iat`), or says it was issued in the future (which would stretch its life past the bound).
 */
export function lifetimeProblem({ issuedAt, expiresAt }: UserTokenFacts, maxLifetimeSeconds: number, nowSeconds: number): string | undefined {
  if (issuedAt > nowSeconds + ISSUED_AT_SKEW_SECONDS) return 'the token says it was issued in the future'
  if (expiresAt - issuedAt > maxLifetimeSeconds) return `the token lives longer than the ${maxLifetimeSeconds} seconds this API accepts`
  return undefined
}

const checkIdentity = Compile(IdentitySchema)

/** The identity a verified JWT's claims stand for (no `roles` claim: no roles); undefined when they name none. */
export function identityFromClaims(claims: unknown): Identity | undefined {
  if (typeof claims !== 'object' || claims === null) return undefined
  const identity = { subject: Reflect.get(claims, 'sub'), roles: Reflect.get(claims, 'roles') ?? [] }
  return checkIdentity.Check(identity) ? identity : undefined
}
