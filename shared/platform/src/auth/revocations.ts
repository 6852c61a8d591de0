import { Type, type Static } from 'typebox'
import { StoredApiKeySchema } from './api-keys.js'

const subject = Type.String({ minLength: 1, maxLength: 200, description: 'The `sub` of the tokens to revoke' })
const tokenId = Type.String({ minLength: 1, maxLength: 200, description: 'The `jti` of the one token to revoke' })

/** Every token of `subject` issued before `revokedAt` (to the second, that second included) is refused. */
export const SubjectRevocationSchema = Type.Object({ subject, revokedAt: Type.String({ format: 'date-time' }) })
export type SubjectRevocation = Static<typeof SubjectRevocationSchema>

/** The token `tokenId` is refused; the revocation is kept until `expiresAt`, when the token would end anyway. */
export const TokenRevocationSchema = Type.Object({ tokenId, expiresAt: Type.String({ format: 'date-time' }), revokedAt: Type.String({ format: 'date-time' }) })
export type TokenRevocation = Static<typeof TokenRevocationSchema>

export const NewRevocationBody = Type.Union([
  Type.Object({ subject }, { additionalProperties: false }),
  Type.Object({ tokenId, expiresAt: Type.String({ format: 'date-time', description: "The token's `exp`" }) }, { additionalProperties: false }),
])
export type NewRevocationBody = Static<typeof NewRevocationBody>

export const RevocationsSchema = Type.Object({ subjects: Type.Array(SubjectRevocationSchema), tokens: Type.Array(TokenRevocationSchema) })
export type Revocations = Static<typeof RevocationsSchema>

/** Everything a cache of credentials holds: every key (revoked ones included) and every revocation still in force. */
export const CredentialSnapshotSchema = Type.Object({ keys: Type.Array(StoredApiKeySchema), ...RevocationsSchema.properties })
export type CredentialSnapshot = Static<typeof CredentialSnapshotSchema>

/** What a token's revocation is decided on: its `sub`, its `jti` (when it has one) and its `iat`, in seconds. */
export const TokenClaimsSchema = Type.Object({ subject, tokenId: Type.Optional(tokenId), issuedAt: Type.Integer({ minimum: 0 }) })
export type TokenClaims = Static<typeof TokenClaimsSchema>

/** What is known of a token's subject and id: when its subject was last revoked (ms), whether its id is. */
export interface RevocationFacts {
  subjectRevokedAtMs?: number | undefined
  tokenRevoked: boolean
}

/**
 * Whether a token is revoked: by its id, or by its subject when it was issued before that subject's revocation.
 * `iat` counts whole seconds, so a token issued within the second of the revocation is refused too.
 */
export function isTokenRevoked({ issuedAt }: Pick<TokenClaims, 'issuedAt'>, { subjectRevokedAtMs, tokenRevoked }: RevocationFacts): boolean {
  return tokenRevoked || (subjectRevokedAtMs !== undefined && issuedAt * 1000 <= subjectRevokedAtMs)
}
