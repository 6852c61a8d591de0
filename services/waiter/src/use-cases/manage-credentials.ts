import createError from '@fastify/error'
import { mintApiKey, type ApiKey, type NewApiKeyBody, type StoredApiKey } from '@restaurant/platform/auth/api-keys'
import { isTokenRevoked, type CredentialSnapshot, type NewRevocationBody, type Revocations, type SubjectRevocation, type TokenClaims, type TokenRevocation } from '@restaurant/platform/auth/revocations'
import type { CredentialCacheWrites, CredentialStore } from './credential-store.js'
import type { Log } from './ports.js'

export const CacheNotUpdatedError = createError('CREDENTIAL_CACHE_NOT_UPDATED', 'The revocation is stored, but the cache the gateways read could not be updated: send it again', 503)

export interface ManageCredentialsDeps {
  store: CredentialStore
  cache: CredentialCacheWrites
  now: () => Date
  log: Log
}

/**
 * API keys and revocations: written to the store first, then to the cache the gateways read. A new key the cache
 * missed is still found (a gateway asks the waiter for a key it does not hold); a revocation the cache missed would
 * not be, so it answers 503 (sending it again is harmless), and the cache is marked not filled once Redis answers
 * again (`healCache`, on each reconnection), so that the gateways refill it from the store.
 */
export function createManageCredentials({ store, cache, now, log }: ManageCredentialsDeps) {
  let missedRevocation = false
  async function cached(write: Promise<void>, { mustReach }: { mustReach: boolean }): Promise<void> {
    try {
      await write
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'credential cache not updated')
      if (!mustReach) return
      missedRevocation = true
      throw new CacheNotUpdatedError({ cause: err })
    }
  }

  const keys = {
    async create(body: NewApiKeyBody): Promise<{ key: string; apiKey: ApiKey }> {
      const { key, stored } = mintApiKey(body, now())
      await store.addKey(stored)
      await cached(cache.putKey(stored), { mustReach: false })
      return { key, apiKey: stored.apiKey }
    },
    list: async (): Promise<ApiKey[]> => (await store.keys()).map(({ apiKey }) => apiKey),
    /** The revoked key (revoking it again changes nothing); undefined when there is no such key. */
    async revoke(id: string): Promise<ApiKey | undefined> {
      const revoked = await store.revokeKey(id, now().toISOString())
      if (!revoked) return undefined
      await cached(cache.putKey(revoked), { mustReach: true })
      return revoked.apiKey
    },
  }

  return {
    keys,
    /** After a revocation the cache missed: marks it not filled. Call it whenever Redis is reachable again. */
    async healCache(): Promise<void> {
      if (!missedRevocation) return
      await cache.forget()
      missedRevocation = false
      log.info('credential cache marked for refill')
    },
    async revoke(body: NewRevocationBody): Promise<SubjectRevocation | TokenRevocation> {
      const revokedAt = now().toISOString()
      if ('subject' in body) {
        const revocation = await store.revokeSubject({ subject: body.subject, revokedAt })
        await cached(cache.putSubject(revocation), { mustReach: true })
        return revocation
      }
      const revocation = await store.revokeToken({ tokenId: body.tokenId, expiresAt: new Date(body.expiresAt).toISOString(), revokedAt })
      await cached(cache.putToken(revocation), { mustReach: true })
      return revocation
    },
    revocations: (): Promise<Revocations> => store.revocations(now()),
    /** For the gateways: one key (to refill a cache that misses it), everything (to fill one), or one token's revocation. */
    key: (id: string): Promise<StoredApiKey | undefined> => store.key(id),
    snapshot: async (): Promise<CredentialSnapshot> => ({ keys: await store.keys(), ...(await store.revocations(now())) }),
    tokenRevoked: async (claims: TokenClaims): Promise<boolean> => isTokenRevoked(claims, await store.revocationOf(claims, now())),
  }
}
export type ManageCredentials = ReturnType<typeof createManageCredentials>
