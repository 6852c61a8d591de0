import type { Identity, Role } from './identity.js'

/** A route anyone may call (the gateway still authenticates a credential when one is sent). */
export const ANYONE = 'anyone'

/**
 * The public API's routes and who may call them: the gateway forwards these and nothing else, and both
 * the gateway and the service behind it authorize from this one table.
 */
export const publicRoutes = [
  { method: 'GET', path: '/api/menu', roles: ANYONE },
  { method: 'PATCH', path: '/api/menu/:id', roles: ['staff', 'admin'] },
  { method: 'POST', path: '/api/menu/items', roles: ['admin'] },
  { method: 'PATCH', path: '/api/menu/items/:id', roles: ['admin'] },
  { method: 'POST', path: '/api/menu/items/:id/retire', roles: ['admin'] },
  { method: 'GET', path: '/api/menu/items/:id/history', roles: ['admin'] },
  { method: 'POST', path: '/api/orders', roles: ['customer'] },
  { method: 'GET', path: '/api/orders', roles: ['customer', 'staff'] },
  // Before `/api/orders/:id`, which its path would match too.
  { method: 'GET', path: '/api/orders/events', roles: ['staff'] },
  { method: 'GET', path: '/api/orders/:id', roles: ['customer', 'staff'] },
  { method: 'GET', path: '/api/orders/:id/events', roles: ['customer', 'staff'] },
  { method: 'POST', path: '/api/orders/:id/cancel', roles: ['customer', 'staff'] },
  { method: 'POST', path: '/api/keys', roles: ['admin'] },
  { method: 'GET', path: '/api/keys', roles: ['admin'] },
  { method: 'DELETE', path: '/api/keys/:id', roles: ['admin'] },
  { method: 'POST', path: '/api/revocations', roles: ['admin'] },
  { method: 'GET', path: '/api/revocations', roles: ['admin'] },
  { method: 'POST', path: '/api/webhooks', roles: ['admin'] },
  { method: 'GET', path: '/api/webhooks', roles: ['admin'] },
  { method: 'GET', path: '/api/webhooks/:id', roles: ['admin'] },
  { method: 'DELETE', path: '/api/webhooks/:id', roles: ['admin'] },
  { method: 'POST', path: '/api/webhooks/:id/ping', roles: ['admin'] },
  { method: 'POST', path: '/api/webhooks/:id/rotate-secret', roles: ['admin'] },
  { method: 'POST', path: '/api/webhooks/:id/pause', roles: ['admin'] },
  { method: 'POST', path: '/api/webhooks/:id/resume', roles: ['admin'] },
  { method: 'GET', path: '/api/webhooks/:id/deliveries', roles: ['admin'] },
  { method: 'GET', path: '/api/events', roles: ['partner', 'admin'] },
  { method: 'GET', path: '/api/audit', roles: ['admin'] },
] as const satisfies readonly { method: string; path: string; roles: typeof ANYONE | readonly Role[] }[]

export type PublicRoute = (typeof publicRoutes)[number]

/** The row of `table` for a request (a HEAD is answered as its GET). */
function findIn<Route extends { method: string; path: string }>(table: readonly Route[], method: string, path: string): Route | undefined {
  const asGet = method === 'HEAD' ? 'GET' : method
  return table.find((route) => route.method === asGet && route.path === path)
}

export function findPublicRoute(method: string, path: string): PublicRoute | undefined {
  return findIn(publicRoutes, method, path)
}

/** Whether the identity holds a role the route admits. */
export function mayCall(route: PublicRoute, identity: Identity): boolean {
  if (route.roles === ANYONE) return true
  const admitted: readonly Role[] = route.roles
  return identity.roles.some((role) => admitted.includes(role))
}

/** The services that call others, each with keys of its own: the gateway calls the waiter, the waiter the kitchen. */
export const callers = ['gateway', 'waiter'] as const
export type Caller = (typeof callers)[number]
/** The services that are called: each the audience of the tokens meant for it. */
export type Callee = 'waiter' | 'kitchen'

/**
 * The internal API's routes, the service that serves each and the services that may call it: a service answers its
 * internal routes only to a caller listed here, and its public ones (above) only to the gateway, which alone asserts
 * end users.
 */
export const internalRoutes = [
  { method: 'GET', path: '/internal/orders', service: 'kitchen', callers: ['waiter'] },
  { method: 'GET', path: '/internal/orders/:id', service: 'kitchen', callers: ['waiter'] },
  { method: 'GET', path: '/internal/menu', service: 'kitchen', callers: ['waiter'] },
  { method: 'POST', path: '/internal/menu/items', service: 'kitchen', callers: ['waiter'] },
  { method: 'PATCH', path: '/internal/menu/items/:id', service: 'kitchen', callers: ['waiter'] },
  { method: 'GET', path: '/internal/menu/items/:id/history', service: 'kitchen', callers: ['waiter'] },
  { method: 'GET', path: '/internal/credentials', service: 'waiter', callers: ['gateway'] },
  { method: 'POST', path: '/internal/credentials/api-key', service: 'waiter', callers: ['gateway'] },
  { method: 'POST', path: '/internal/credentials/token', service: 'waiter', callers: ['gateway'] },
] as const satisfies readonly { method: string; path: string; service: Callee; callers: readonly Caller[] }[]

export type InternalRoute = (typeof internalRoutes)[number]

export function findInternalRoute(method: string, path: string): InternalRoute | undefined {
  return findIn(internalRoutes, method, path)
}

/** Staff see and act on every order; anyone else only on their own. */
export function seesEveryOrder(identity: Identity): boolean {
  return identity.roles.includes('staff')
}
