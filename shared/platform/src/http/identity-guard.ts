import createError from '@fastify/error'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { findInternalRoute, findPublicRoute, mayCall, type Caller } from '@restaurant/contracts/public-routes'
import { IDENTITY_HEADER, type Identity } from '@restaurant/contracts/identity'
import type { ServiceVerifier, VerifiedCall } from '../auth/service-tokens.js'

export const IdentityRequiredError = createError('IDENTITY_REQUIRED', 'Call this API through the gateway (%s)', 401)
export const ForbiddenError = createError('FORBIDDEN', 'Your credential does not allow %s %s', 403)

/**
 * Services answer routes under `prefixes` only to a caller whose signed token `verify` accepts, and authorize it
 * from the same route table as the gateway: going around the gateway does not go around authorization, and a
 * token meant for one service, request or moment is good for no other.
 */
export function requireIdentity(app: FastifyInstance, verify: ServiceVerifier, prefixes: readonly string[]) {
  const identities = new WeakMap<FastifyRequest, Identity>()

  app.addHook('onRequest', async (request) => {
    const path = request.routeOptions.url
    if (!path || !prefixes.some((prefix) => path.startsWith(prefix))) return
    const header = request.headers[IDENTITY_HEADER]
    let call: VerifiedCall
    try {
      call = verify(typeof header === 'string' ? header : undefined, request)
    } catch (err) {
      throw new IdentityRequiredError(err instanceof Error ? err.message : String(err))
    }
    if (!admits(request.method, path, call)) throw new ForbiddenError(request.method, path)
    identities.set(request, call.identity)
  })

  /** The verified caller of a guarded route. */
  return (request: FastifyRequest): Identity => {
    const identity = identities.get(request)
    if (!identity) throw new IdentityRequiredError('no identity')
    return identity
  }
}

/**
 * What the route table allows: a public route to the gateway alone, for an end user holding a role it admits; an
 * internal route to the services it lists; a route in neither, to nobody.
 */
function admits(method: string, path: string, { caller, identity }: VerifiedCall): boolean {
  const publicRoute = findPublicRoute(method, path)
  if (publicRoute) return caller === 'gateway' && mayCall(publicRoute, identity)
  const internalRoute = findInternalRoute(method, path)
  const callers: readonly Caller[] = internalRoute?.callers ?? []
  return callers.includes(caller)
}
