import { Type } from 'typebox'
import { StoredApiKeySchema } from '@restaurant/platform/auth/api-keys'
import { CredentialSnapshotSchema, TokenClaimsSchema } from '@restaurant/platform/auth/revocations'
import type { HttpServer } from '@restaurant/platform/http/server'
import type { ManageCredentials } from '../use-cases/manage-credentials.js'
import { ApiKeyNotFoundError } from './key-routes.js'

const internal = { hide: true }
const routes = {
  snapshot: { schema: { ...internal, response: { 200: CredentialSnapshotSchema } } },
  apiKey: { schema: { ...internal, body: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{12}$' }) }, { additionalProperties: false }), response: { 200: StoredApiKeySchema } } },
  token: { schema: { ...internal, body: TokenClaimsSchema, response: { 200: Type.Object({ revoked: Type.Boolean() }) } } },
}

/**
 * What the gateways' cache of credentials is filled from (the internal route table admits only the gateway): every
 * key and revocation, one key the cache misses, and one token's revocation while Redis is away.
 */
export function registerCredentialRoutes(app: HttpServer, credentials: Pick<ManageCredentials, 'snapshot' | 'key' | 'tokenRevoked'>): void {
  app.get('/internal/credentials', routes.snapshot, () => credentials.snapshot())
  app.post('/internal/credentials/api-key', routes.apiKey, async (request) => {
    const stored = await credentials.key(request.body.id)
    if (!stored) throw new ApiKeyNotFoundError(request.body.id)
    return stored
  })
  app.post('/internal/credentials/token', routes.token, async (request) => ({ revoked: await credentials.tokenRevoked(request.body) }))
}
