import createError from '@fastify/error'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { anonymous, type Identity } from '@restaurant/contracts/identity'
import { ANYONE, type PublicRoute } from '@restaurant/contracts/public-routes'
import { isApiKey, type ApiKeys } from '@restaurant/platform/auth/api-keys'
import { identityFromClaims } from '@restaurant/platform/auth/identity-jwt'

export const UnauthorizedError = createError('UNAUTHORIZED', 'Authentication failed: %s', 401)
export const KeyCheckUnavailableError = createError('KEY_CHECK_UNAVAILABLE', 'API keys cannot be checked right now: %s', 503)

const bearer = /^Bearer ([\x21-\x7e]+)$/i

/**
 * Who is calling: a JWT (verified by @fastify/jwt) or an API key (checked against its hash in Redis). A
 * route open to anyone may be called without a credential; a credential that is sent must be valid.
 */
export function createAuthenticator(app: FastifyInstance, apiKeys: Pick<ApiKeys, 'authenticate'>) {
  async function identify(request: FastifyRequest, route: PublicRoute, reply: FastifyReply): Promise<Identity> {
    const header = request.headers.authorization
    if (header === undefined && route.roles === ANYONE) return anonymous
    const token = header === undefined ? undefined : bearer.exec(header)?.[1]
    const identity = token ? await verify(token) : undefined
    if (identity) return identity
    void reply.header('www-authenticate', `Bearer realm="restaurant"${token ? ', error="invalid_token"' : ''}`)
    throw new UnauthorizedError(token ? 'the credential is not valid' : 'send a bearer token (JWT or API key)')
  }

  async function verify(token: string): Promise<Identity | undefined> {
    if (isApiKey(token)) {
      // Fails closed: a key that cannot be checked (Redis is away) is not taken on trust.
      return apiKeys.authenticate(token).catch((err: unknown) => {
        throw new KeyCheckUnavailableError(err instanceof Error ? err.message : String(err), { cause: err })
      })
    }
    try {
      return identityFromClaims(app.jwt.verify(token))
    } catch {
      return undefined
    }
  }

  return identify
}
export type Authenticator = ReturnType<typeof createAuthenticator>
