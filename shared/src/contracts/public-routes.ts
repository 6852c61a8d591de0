/** The public API's routes: the gateway forwards these and nothing else. */
export const publicRoutes = [
  { method: 'GET', path: '/api/menu' },
  { method: 'POST', path: '/api/orders' },
  { method: 'GET', path: '/api/orders' },
  { method: 'GET', path: '/api/orders/:id' },
  { method: 'POST', path: '/api/orders/:id/cancel' },
] as const

export type PublicRoute = (typeof publicRoutes)[number]
