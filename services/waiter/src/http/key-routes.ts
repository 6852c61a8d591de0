import createError from '@fastify/error'
import { Type } from 'typebox'
import { ApiKeySchema, NewApiKeyBody } from '@restaurant/platform/auth/api-keys'
import type { KeyManagement } from '@restaurant/platform/audit/key-management'
import type { HttpServer } from '@restaurant/platform/http/server'
import type { RequestContextOf } from './request-context.js'
import { anyRequestErrors, invalid, json, problem } from './route-docs.js'

export const KeyStoreUnavailableError = createError('KEY_STORE_UNAVAILABLE', 'API keys cannot be managed right now: %s', 503)
export const ApiKeyNotFoundError = createError('API_KEY_NOT_FOUND', 'No API key %s', 404)

const CreatedApiKey = Type.Object({
  ...ApiKeySchema.properties,
  key: Type.String({ description: 'The bearer credential. It is shown this once: only its hash is stored.' }),
})
const ApiKeyList = Type.Object({ keys: Type.Array(ApiKeySchema) })
const ApiKeyParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{12}$' }) })

/** Key management fails closed: without Redis nothing is created, listed or revoked (503). */
async function orUnavailable<T>(action: Promise<T>): Promise<T> {
  try {
    return await action
  } catch (err) {
    throw new KeyStoreUnavailableError(err instanceof Error ? err.message : String(err), { cause: err })
  }
}

const createKey = {
  schema: {
    tags: ['keys'],
    summary: 'Create an API key',
    body: NewApiKeyBody,
    response: { 201: json('The key, with its secret shown once', CreatedApiKey), 400: invalid, ...anyRequestErrors },
  },
}

const listKeys = {
  schema: { tags: ['keys'], summary: 'List API keys', response: { 200: json('Every key, revoked ones included', ApiKeyList), ...anyRequestErrors } },
}

const revokeKey = {
  schema: {
    tags: ['keys'],
    summary: 'Revoke an API key',
    description: 'The key stops working at once; it stays listed with `revokedAt`.',
    params: ApiKeyParams,
    response: { 200: json('The revoked key', ApiKeySchema), 400: invalid, 404: problem('No such key'), ...anyRequestErrors },
  },
}

/** Admins create, list and revoke the API keys of machine clients (a till, a delivery partner); each change is audited. */
export function registerKeyRoutes(app: HttpServer, apiKeys: KeyManagement, contextOf: RequestContextOf): void {
  app.post('/api/keys', createKey, async (request, reply) => {
    const { key, apiKey } = await orUnavailable(apiKeys.create(request.body, contextOf(request)))
    request.log.info({ apiKeyId: apiKey.id, name: apiKey.name, roles: apiKey.roles }, 'api key created')
    return reply.code(201).send({ ...apiKey, key })
  })
  app.get('/api/keys', listKeys, async () => ({ keys: await orUnavailable(apiKeys.list()) }))
  app.delete('/api/keys/:id', revokeKey, async (request) => {
    const revoked = await orUnavailable(apiKeys.revoke(request.params.id, contextOf(request)))
    if (!revoked) throw new ApiKeyNotFoundError(request.params.id)
    request.log.info({ apiKeyId: revoked.id }, 'api key revoked')
    return revoked
  })
}
