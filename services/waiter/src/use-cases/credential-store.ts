import type { StoredApiKey } from '@restaurant/platform/auth/api-keys'
import type { CredentialCache } from '@restaurant/platform/auth/credential-cache'
import type { RevocationFacts, Revocations, SubjectRevocation, TokenClaims, TokenRevocation } from '@restaurant/platform/auth/revocations'

/**
 * The durable truth of API keys and revocations; Redis only caches it. Invariant: a revocation, once stored, is never
 * undone: a key's `revokedAt` is set once, a subject's revocation only moves later, a token's stays until it expires.
 */
export interface CredentialStore {
  /** Adds a key under an id that is new. */
  addKey(stored: StoredApiKey): Promise<void>
  key(id: string): Promise<StoredApiKey | undefined>
  /** Every key, revoked ones included, oldest first. */
  keys(): Promise<StoredApiKey[]>
  /** Revokes the key at `at` unless it already is; the key as it now stands, undefined when there is none. */
  revokeKey(id: string, at: string): Promise<StoredApiKey | undefined>
  /** Revokes the subject's tokens issued up to `revokedAt`; the revocation in force (the later one, if there was one). */
  revokeSubject(revocation: SubjectRevocation): Promise<SubjectRevocation>
  /** Revokes one token; the revocation in force (the first, if it was revoked already). */
  revokeToken(revocation: TokenRevocation): Promise<TokenRevocation>
  /** Every subject revocation, and the token revocations whose tokens have not expired by `now`. */
  revocations(now: Date): Promise<Revocations>
  /** What the store says of one token's revocation. */
  revocationOf(claims: TokenClaims, now: Date): Promise<RevocationFacts>
  close(): Promise<void>
}

/** The writes a cache of the store takes: after the store's own, never instead of them. */
export type CredentialCacheWrites = Pick<CredentialCache, 'putKey' | 'putSubject' | 'putToken' | 'forget'>
