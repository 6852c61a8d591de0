import type { Redis } from 'ioredis'
import type { Identity } from '@restaurant/contracts/identity'
import { apiKeyIdOf, identityOfApiKey, type StoredApiKey } from '@restaurant/platform/auth/api-keys'
import { createCredentialCache } from '@restaurant/platform/auth/credential-cache'
import { isTokenRevoked, type TokenClaims } from '@restaurant/platform/auth/revocations'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { CredentialSourceUnavailableError, type CredentialSource } from './waiter-credentials.js'

/**
 * API keys and token revocations as the gateway checks them: from the Redis cache when it can be trusted, else from
 * the waiter, which holds the truth. The cache is trusted when it was filled on the Redis run the client is connected
 * to: a Redis restarted (its data lost, or an older snapshot restored, in which a revoked key may be live) or one
 * whose marker is gone (its keys flushed) is refilled from the waiter before it is read again. The run is read again
 * at each (re)connection, which any restart forces. While Redis cannot answer, each check asks the waiter.
 */
export function createCredentialChecks(redis: Redis, source: CredentialSource, log: Logger) {
  const cache = createCredentialCache(redis)
  let runId: Promise<string> | undefined
  let filling: Promise<void> | undefined
  redis.on('ready', () => {
    runId = undefined
  })

  async function fill(): Promise<void> {
    const run = await (runId ??= cache.runId())
    await cache.fill(await source.snapshot(), run)
    log.info({ run }, 'credential cache filled')
  }

  /** Reads the cache, refilling it first when it cannot be trusted; what Redis cannot answer, the waiter does. */
  async function trusted<T extends { filledOn: string | null }>(read: () => Promise<T>, fromSource: () => Promise<T | undefined>): Promise<T | undefined> {
    try {
      const first = await read()
      if (first.filledOn !== null && first.filledOn === (await (runId ??= cache.runId()))) return first
      filling ??= fill().finally(() => (filling = undefined))
      await filling
      return await read()
    } catch (err) {
      if (err instanceof CredentialSourceUnavailableError) throw err
      runId = undefined
      return fromSource()
    }
  }

  async function storedKey(id: string): Promise<StoredApiKey | undefined> {
    const cached = await trusted(() => cache.readKey(id), async () => ({ filledOn: null, stored: await source.apiKey(id) }))
    // Answered by the waiter already (Redis away), or held by the cache.
    if (cached === undefined || cached.filledOn === null || cached.stored) return cached?.stored
    // A key the trusted cache does not hold (its write missed the cache): the waiter's answer is cached for the next call.
    const stored = await source.apiKey(id)
    if (stored) await cache.putKey(stored).catch(() => undefined)
    return stored
  }

  return {
    /** The identity an API key stands for; undefined when it is malformed, unknown, wrong or revoked. Throws when it cannot be checked. */
    async authenticateKey(key: string): Promise<Identity | undefined> {
      const id = apiKeyIdOf(key)
      return id === undefined ? undefined : identityOfApiKey(key, await storedKey(id))
    },
    /** Whether a token is revoked, by its subject or its id. Throws when it cannot be checked. */
    async tokenRevoked(claims: TokenClaims): Promise<boolean> {
      const facts = await trusted(() => cache.readRevocation(claims), async () => ({ filledOn: null, tokenRevoked: await source.tokenRevoked(claims) }))
      return facts !== undefined && isTokenRevoked(claims, facts)
    },
  }
}
export type CredentialChecks = ReturnType<typeof createCredentialChecks>
