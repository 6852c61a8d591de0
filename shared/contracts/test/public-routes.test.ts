import t from 'tap'
import { findPublicRoute, mayCall, publicRoutes, seesEveryOrder } from '../src/public-routes.js'

const customer = { subject: 'alice', roles: ['customer' as const] }
const staff = { subject: 'bob', roles: ['staff' as const] }
const nobody = { subject: 'anonymous', roles: [] }

t.test('a route is found by method and path pattern, and HEAD is read as GET', async (t) => {
  t.equal(findPublicRoute('POST', '/api/orders')?.roles[0], 'customer')
  t.equal(findPublicRoute('HEAD', '/api/menu'), findPublicRoute('GET', '/api/menu'))
  t.equal(findPublicRoute('DELETE', '/api/orders/:id'), undefined)
})

t.test('a route admits the roles it names and no other; a public one admits anyone', async (t) => {
  const place = findPublicRoute('POST', '/api/orders')!
  t.ok(mayCall(place, customer))
  t.notOk(mayCall(place, staff))
  t.notOk(mayCall(place, nobody))
  t.ok(mayCall(findPublicRoute('GET', '/api/menu')!, nobody))
})

t.test('only staff see every order', async (t) => {
  t.ok(seesEveryOrder(staff))
  t.notOk(seesEveryOrder(customer))
})

t.test('the order events stream is listed before the order path that would also match it', async (t) => {
  const paths = publicRoutes.map((route) => `${route.method} ${route.path}`)
  t.ok(paths.indexOf('GET /api/orders/events') < paths.indexOf('GET /api/orders/:id'))
})
