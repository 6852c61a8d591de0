import createError from '@fastify/error'
import type { FastifyInstance } from 'fastify'
import { publicRoutes } from '@restaurant/shared'

export const UnknownRouteError = createError('NOT_FOUND', 'No such route', 404)

// Plain path characters only: an encoded or doubled separator (`%2f`, `..`, `\`, `//`) never reaches a service.
const safePath = /^(\/[A-Za-z0-9._~-]+)+\/?$|^\/$/
const hasTraversal = /(^|\/)\.\.?(\/|$)/

function pattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/:[a-z]+/gi, '[A-Za-z0-9-]+')}$`)
}

const allowed = publicRoutes.map(({ method, path }) => ({ methods: method === 'GET' ? ['GET', 'HEAD'] : [method], pattern: pattern(path) }))

/** Whether the gateway forwards this method and raw path (query excluded). */
export function isForwarded(method: string, rawPath: string): boolean {
  if (!safePath.test(rawPath) || hasTraversal.test(rawPath)) return false
  return allowed.some((route) => route.methods.includes(method) && route.pattern.test(rawPath))
}

/** Refuses, before the proxy, any `/api` request that is not one of the documented routes. */
export function forwardOnlyPublicRoutes(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const rawPath = (request.raw.url ?? '/').split('?')[0] ?? '/'
    if (!rawPath.startsWith('/api')) return
    if (!isForwarded(request.method, rawPath)) throw new UnknownRouteError()
  })
}
