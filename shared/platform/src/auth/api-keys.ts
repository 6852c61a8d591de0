import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
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

/** A key as it is kept (in the store and in the cache): its record and the SHA-256 of its secret, never the secret. */
export const StoredApiKeySchema = Type.Object({ apiKey: ApiKeySchema, hash: Type.String({ pattern: '^[0-9a-f]{64}$' }) })
export type StoredApiKey = Static<typeof StoredApiKeySchema>

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

export function isApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX)
}

/** A new key: the bearer credential (shown once) and what is kept of it. */
export function mintApiKey({ name, roles }: NewApiKeyBody, now: Date): { key: string; stored: StoredApiKey } {
  const id = randomBytes(6).toString('hex')
  const secret = randomBytes(32).toString('base64url')
  const apiKey: ApiKey = { id, name, roles, createdAt: now.toISOString() }
  return { key: `${API_KEY_PREFIX}${id}_${secret}`, stored: { apiKey, hash: hashOf(secret).toString('hex') } }
}

/** The id of a well-formed key, which is where its record is looked up; undefined when it is malformed. */
export function apiKeyIdOf(key: string): string | undefined {
  return keyFormat.exec(key)?.[1]
}

/** The identity a key stands for, its secret compared in constant time; undefined when it is malformed, unknown, wrong or revoked. */
export function identityOfApiKey(key: string, stored: StoredApiKey | undefined): Identity | undefined {
  const [, id, secret] = keyFormat.exec(key) ?? []
  if (!id || !secret || !stored || stored.apiKey.id !== id || stored.apiKey.revokedAt) return undefined
  if (!timingSafeEqual(hashOf(secret), Buffer.from(stored.hash, 'hex'))) return undefined
  return { subject: `key:${id}`, roles: [...stored.apiKey.roles] as Role[] }
}
