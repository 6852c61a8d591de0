import createError from '@fastify/error'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { findPublicRoute, mayCall } from '@restaurant/contracts/public-routes'
import { IDENTITY_HEADER, type Identity } from '@restaurant/contracts/identity'
import { createIdentityVerifier } from '../auth/identity-tokens.js'

export const IdentityRequiredError = createError('IDENTITY_REQUIRED', 'Call this API through the gateway (%s)', 401)
export const ForbiddenError = createError('FORBIDDEN', 'Your credential does not allow %s %s', 403)

/**
 * Services answer routes under `prefixes` only with an identity the gateway signed, and authorize it from
 * the same route table as the gateway: going around the gateway does not go around authorization.
 */
export function requireIdentity(app: FastifyInstance, secret: string, prefixes: readonly string[]) {
  const verify = createIdentityVerifier(secret)
  const identities = new WeakMap<FastifyRequest, Identity>()

  app.addHook('onRequest', async (request) => {
    const path = request.routeOptions.url
    if (!path || !prefixes.some((prefix) => path.startsWith(prefix))) return
    const header = request.headers[IDENTITY_HEADER]
    let identity: Identity
    try {
      identity = verify(typeof header === 'string' ? header : undefined)
    } catch (err) {
      throw new IdentityRequiredError(err instanceof Error ? err.message : String(err))
    }
    const route = findPublicRoute(request.method, path)
    if (route && !mayCall(route, identity)) throw new ForbiddenError(request.method, path)
    identities.set(request, identity)
  })

  /** The verified caller of a guarded route. */
  return (request: FastifyRequest): Identity => {
    const identity = identities.get(request)
    if (!identity) throw new IdentityRequiredError('no identity')
    return identity
  }
}
