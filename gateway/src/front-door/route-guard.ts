import type { FastifyInstance, FastifyRequest } from 'fastify'
import { anonymous, type Identity } from '@restaurant/contracts/identity'
import { mayCall } from '@restaurant/contracts/public-routes'
import { ForbiddenError } from '@restaurant/platform/http/identity-guard'
import { addressKeyOf } from './address-key.js'
import type { Authenticator } from './authentication.js'
import type { createStreamCredentials } from './stream-credentials.js'
import type { createStreamQuota } from './stream-quota.js'

/** What an event stream is held to while open: a place in its credential's quota, and the credential's life. */
export interface StreamGuards {
  hold: ReturnType<typeof createStreamQuota>
  endWithCredential: ReturnType<typeof createStreamCredentials>
}
import { createLimiter, type LimitSettings } from './rate-limits.js'
import { publicRouteOf, UnknownRouteError } from './route-allowlist.js'

const LIMITED_BY_ADDRESS_ONLY = ['/docs', '/auth/']

export interface FrontDoorLimits {
  perAddress: LimitSettings
  /** The IPv6 network that counts as one address. */
  ipv6PrefixLength: number
  perCredential: LimitSettings
  /** Orders one customer may place per window. */
  orderQuota: LimitSettings
}

/**
 * `/docs` and `/auth/` count against their address's budget. Every `/api` request passes the same checks, in this order: a documented route (404), the budget of its
 * address (429), a valid credential (401), a role the route admits (403), the budget of the credential
 * (429) and, to place an order, the customer's order quota (429). Returns the verified caller. The address budget
 * and a JWT's revocation are read in one round trip to Redis; the answers are as if one came after the other.
 */
export function guardPublicRoutes(app: FastifyInstance, identify: Authenticator, limits: FrontDoorLimits, streams: StreamGuards) {
  const identities = new WeakMap<object, Identity>()
  const addressOf = (request: FastifyRequest) => addressKeyOf(request.ip, limits.ipv6PrefixLength)
  const subjectOf = (request: FastifyRequest) => identities.get(request)?.subject ?? addressOf(request)
  const open = { failClosed: false }
  const perAddress = createLimiter(app, 'per address', limits.perAddress, addressOf, { nameSpace: 'address', ...open })
  const perCredential = createLimiter(app, 'per credential', limits.perCredential, subjectOf, { nameSpace: 'credential', ...open })
  // Key management fails closed: without Redis to count, admins get 503 rather than an unlimited API.
  const keyManagement = createLimiter(app, 'per credential', limits.perCredential, subjectOf, { nameSpace: 'keys', failClosed: true })
  const orderQuota = createLimiter(app, 'order quota', limits.orderQuota, subjectOf, { nameSpace: 'order-quota', ...open })

  app.addHook('onRequest', async (request, reply) => {
    const rawPath = (request.raw.url ?? '/').split('?')[0] ?? '/'
    // The documentation and the sign-in take no credential: the address's budget is all that bounds them.
    if (LIMITED_BY_ADDRESS_ONLY.some((prefix) => rawPath.startsWith(prefix))) return perAddress(request, reply)
    if (!rawPath.startsWith('/api')) return
    const route = publicRouteOf(request.method, rawPath)
    if (!route) throw new UnknownRouteError()
    const identity = await withinAddressBudget(perAddress(request, reply), (counted) => identify(request, route, reply, counted))
    if (!mayCall(route, identity)) throw new ForbiddenError(request.method, route.path)
    identities.set(request, identity)
    if (identity === anonymous) return
    if (route.path.endsWith('/events') && route.path.startsWith('/api/orders')) {
      await streams.hold(identity.subject, request, reply)
      streams.endWithCredential(request, reply)
    }
    await (route.path.startsWith('/api/keys') ? keyManagement : perCredential)(request, reply)
    if (route.method === 'POST' && route.path === '/api/orders') await orderQuota(request, reply)
  })

  return (request: object): Identity => identities.get(request) ?? anonymous
}

/**
 * `check` run while the address budget is counted: past that budget the answer is its 429, whatever the check
 * found, as if the budget had been counted first; the check is told when it was (`counted`).
 */
async function withinAddressBudget<T>(counting: Promise<void>, check: (counted: Promise<void>) => Promise<T>): Promise<T> {
  const [budget, checked] = await Promise.allSettled([counting, check(counting)])
  if (budget.status === 'rejected') throw budget.reason
  if (checked.status === 'rejected') throw checked.reason
  return checked.value
}
