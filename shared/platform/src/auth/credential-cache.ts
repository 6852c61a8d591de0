import type { ChainableCommander, Redis } from 'ioredis'
import type { StoredApiKey } from './api-keys.js'
import type { CredentialSnapshot, RevocationFacts, SubjectRevocation, TokenClaims, TokenRevocation } from './revocations.js'

// The Redis run (`run_id`) the cache was last filled on. A restart (a snapshot restored, a replica promoted) starts a
// new run, so a marker of another run says that what the cache holds may be older than the store.
const FILLED = 'credentials:filled'
const keyRecord = (id: string) => `api-key:${id}`
// Sorted sets: a subject scored by the time of its latest revocation, a token id by when the token expires.
const SUBJECTS = 'revoked-subjects'
const TOKENS = 'revoked-tokens'

const ms = (iso: string) => Date.parse(iso)

/**
 * The cache of API keys and revocations in Redis; the waiter's store holds the truth. Every write merges, so that
 * writers racing (a fill beside a revocation) never undo a revocation: a key's `revokedAt` is only ever set, a
 * subject's revocation only ever moves later (ZADD GT), a token's stays until the token expires.
 */
export function createCredentialCache(redis: Redis) {
  const putKey = (batch: ChainableCommander, { apiKey, hash }: StoredApiKey) => {
    const { revokedAt, ...record } = apiKey
    batch.hset(keyRecord(apiKey.id), { record: JSON.stringify(record), hash })
    if (revokedAt) batch.hset(keyRecord(apiKey.id), 'revokedAt', revokedAt)
  }
  const putSubject = (batch: ChainableCommander, { subject, revokedAt }: SubjectRevocation) => batch.zadd(SUBJECTS, 'GT', ms(revokedAt), subject)
  const putToken = (batch: ChainableCommander, { tokenId, expiresAt }: TokenRevocation) => batch.zadd(TOKENS, ms(expiresAt), tokenId)
  const run = async (write: (batch: ChainableCommander) => unknown) => {
    const batch = redis.multi()
    write(batch)
    batch.zremrangebyscore(TOKENS, '-inf', Date.now())
    await batch.exec()
  }

  return {
    putKey: (stored: StoredApiKey) => run((batch) => putKey(batch, stored)),
    putSubject: (revocation: SubjectRevocation) => run((batch) => putSubject(batch, revocation)),
    putToken: (revocation: TokenRevocation) => run((batch) => putToken(batch, revocation)),
    /** Writes all of it, then marks the cache filled on `runId`: a fill cut short leaves no marker. */
    async fill({ keys, subjects, tokens }: CredentialSnapshot, runId: string): Promise<void> {
      await run((batch) => {
        keys.forEach((stored) => putKey(batch, stored))
        subjects.forEach((revocation) => putSubject(batch, revocation))
        tokens.forEach((revocation) => putToken(batch, revocation))
      })
      await redis.set(FILLED, runId)
    },
    /** Marks the cache not filled: every gateway refills it from the store before it reads it again. */
    forget: async (): Promise<void> => void (await redis.del(FILLED)),
    /** A key as cached, and the run the cache was filled on (null: never, or its data was lost). */
    async readKey(id: string): Promise<{ filledOn: string | null; stored?: StoredApiKey }> {
      const [filledOn, fields] = await Promise.all([redis.get(FILLED), redis.hgetall(keyRecord(id))])
      const { record, hash, revokedAt } = fields
      if (!record || !hash) return { filledOn }
      const apiKey = { ...(JSON.parse(record) as StoredApiKey['apiKey']), ...(revokedAt ? { revokedAt } : {}) }
      return { filledOn, stored: { apiKey, hash } }
    },
    /** What the cache knows of a token's revocation, and the run it was filled on. */
    async readRevocation({ subject, tokenId }: TokenClaims): Promise<RevocationFacts & { filledOn: string | null }> {
      const [filledOn, subjectScore, tokenScore] = await Promise.all([
        redis.get(FILLED),
        redis.zscore(SUBJECTS, subject),
        tokenId === undefined ? null : redis.zscore(TOKENS, tokenId),
      ])
      return { filledOn, subjectRevokedAtMs: subjectScore === null ? undefined : Number(subjectScore), tokenRevoked: tokenScore !== null && Number(tokenScore) > Date.now() }
    },
    /** The id of the Redis run the client is connected to: a new one at every start of the server. */
    async runId(): Promise<string> {
      const id = /^run_id:(\w+)/m.exec(await redis.info('server'))?.[1]
      if (id === undefined) throw new Error('Redis did not tell its run id')
      return id
    },
  }
}
export type CredentialCache = ReturnType<typeof createCredentialCache>
