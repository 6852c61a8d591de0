import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Redis } from 'ioredis'
import { Type, type Static } from 'typebox'
import { RoleSchema, type Identity, type Role } from '@restaurant/contracts/identity'

/** An API key as an admin sees it: never the secret, which is shown once, at creation. */
export const ApiKeySchema = Type.Object({
  id: Type.String({ description: 'Public part of the key; its subject is `key:{id}`' }),
  name: Type.String({ description: 'Who or what holds it, e.g. "front till"' }),
  roles: Type.Array(RoleSchema),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Optional(Type.String({ format: 'date-time' })),
})
export type ApiKey = Static<typeof ApiKeySchema>

export const NewApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 3, uniqueItems: true }),
  },
  { additionalProperties: false },
)
export type NewApiKeyBody = Static<typeof NewApiKeyBody>

export const API_KEY_PREFIX = 'rk_'
// rk_<12 hex id>_<43 base64url secret>: 256 random bits, so a plain SHA-256 is a sound hash (no password stretching needed).
const keyFormat = /^rk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/

const hashOf = (secret: string) => createHash('sha256').update(secret).digest()
const recordKey = (id: string) => `api-key:${id}`
const indexKey = 'api-keys'

export function isApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX)
}

interface KeyStore {
  redis: Redis
  now: () => Date
}

/**
 * API keys for machine clients, in Redis: only a hash of each secret is stored and compared in constant
 * time. Every call needs Redis, so key management and key authentication fail closed when it is down.
 */
export function createApiKeys(redis: Redis, now: () => Date = () => new Date()) {
  const store: KeyStore = { redis, now }
  return {
    create: (body: NewApiKeyBody) => create(store, body),
    authenticate: (key: string) => authenticate(redis, key),
    list: () => list(redis),
    revoke: (id: string) => revoke(store, id),
  }
}
export type ApiKeys = ReturnType<typeof createApiKeys>

async function create({ redis, now }: KeyStore, { name, roles }: NewApiKeyBody): Promise<{ key: string; apiKey: ApiKey }> {
  const id = randomBytes(6).toString('hex')
  const secret = randomBytes(32).toString('base64url')
  const apiKey: ApiKey = { id, name, roles, createdAt: now().toISOString() }
  await redis
    .multi()
    .hset(recordKey(id), { record: JSON.stringify(apiKey), hash: hashOf(secret).toString('hex') })
    .sadd(indexKey, id)
    .exec()
  return { key: `${API_KEY_PREFIX}${id}_${secret}`, apiKey }
}

async function find(redis: Redis, id: string): Promise<{ apiKey: ApiKey; hash: Buffer } | undefined> {
  const [record, hash] = await redis.hmget(recordKey(id), 'record', 'hash')
  if (!record || !hash) return undefined
  return { apiKey: JSON.parse(record) as ApiKey, hash: Buffer.from(hash, 'hex') }
}

/** The identity a key stands for; undefined when it is malformed, unknown, wrong or revoked. */
async function authenticate(redis: Redis, key: string): Promise<Identity | undefined> {
  const [, id, secret] = keyFormat.exec(key) ?? []
  if (!id || !secret) return undefined
  const found = await find(redis, id)
  if (!found || found.apiKey.revokedAt || !timingSafeEqual(hashOf(secret), found.hash)) return undefined
  return { subject: `key:${id}`, roles: [...found.apiKey.roles] as Role[] }
}

async function list(redis: Redis): Promise<ApiKey[]> {
  const ids = await redis.smembers(indexKey)
  const found = await Promise.all(ids.map((id) => find(redis, id)))
  return found.flatMap((entry) => (entry ? [entry.apiKey] : [])).sort((a, b) => a.createdAt.localeCompare(b.createdAt))
}

/** Marks the key revoked (it stays listed); undefined when there is no such key. */
async function revoke({ redis, now }: KeyStore, id: string): Promise<ApiKey | undefined> {
  const found = await find(redis, id)
  if (!found) return undefined
  if (found.apiKey.revokedAt) return found.apiKey
  const revoked = { ...found.apiKey, revokedAt: now().toISOString() }
  await redis.hset(recordKey(id), 'record', JSON.stringify(revoked))
  return revoked
}
