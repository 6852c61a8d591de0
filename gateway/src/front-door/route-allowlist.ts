import createError from '@fastify/error'
import { publicRoutes, type PublicRoute } from '@restaurant/contracts/public-routes'

export const UnknownRouteError = createError('NOT_FOUND', 'No such route', 404)

// Plain path characters only: an encoded or doubled separator (`%2f`, `..`, `\`, `//`) never reaches a service.
const safePath = /^(\/[A-Za-z0-9._~-]+)+\/?$|^\/$/
const hasTraversal = /(^|\/)\.\.?(\/|$)/

function pattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/:[a-z]+/gi, '[A-Za-z0-9_-]+')}$`)
}

const allowed = publicRoutes.map((route) => ({
  route,
  methods: route.method === 'GET' ? ['GET', 'HEAD'] : [route.method],
  pattern: pattern(route.path),
}))

/** The documented route this method and raw path (query excluded) call, if the gateway forwards it. */
export function publicRouteOf(method: string, rawPath: string): PublicRoute | undefined {
  if (!safePath.test(rawPath) || hasTraversal.test(rawPath)) return undefined
  return allowed.find((entry) => entry.methods.includes(method) && entry.pattern.test(rawPath))?.route
}
