import t from 'tap'
import type { AuditPage } from '@restaurant/contracts/audit'
import type { Identity } from '@restaurant/contracts/identity'
import { buildTestApp } from './app-harness.js'

const admin: Identity = { subject: 'owner', roles: ['admin'] }
const staff: Identity = { subject: 'sam', roles: ['staff'] }

t.test("a change through a route is recorded under the request's id, and an admin reads it back", async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  const soldOut = await app.inject({ method: 'PATCH', url: '/api/menu/fries', payload: { available: false }, headers: { ...headersOf(staff), 'x-request-id': 'req-sold-out' } })
  t.equal(soldOut.statusCode, 200)
  const read = await app.inject({ method: 'GET', url: '/api/audit', headers: headersOf(admin) })
  t.equal(read.statusCode, 200)
  t.match(read.json<AuditPage>().records, [{ action: 'menu-item.availability-changed', target: 'fries', actor: staff, requestId: 'req-sold-out', outcome: 'requested' }])
})

t.test('a full page points on to older records; the last page does not', async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  for (const available of [false, true, false]) await app.inject({ method: 'PATCH', url: '/api/menu/fries', payload: { available }, headers: headersOf(staff) })
  const full = (await app.inject({ method: 'GET', url: '/api/audit?limit=3', headers: headersOf(admin) })).json<AuditPage>()
  t.same(full.records.map((record) => record.detail.available), [false, true, false], 'newest first')
  t.equal(full.nextCursor, full.records[2]?.id)
  t.equal((await app.inject({ method: 'GET', url: '/api/audit?limit=4', headers: headersOf(admin) })).json<AuditPage>().nextCursor, undefined)
})

t.test('a malformed query is refused with 400, naming the field', async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  for (const query of ['since=yesterday', 'limit=501', 'limit=0', 'colour=red']) {
    const response = await app.inject({ method: 'GET', url: `/api/audit?${query}`, headers: headersOf(admin) })
    t.equal(response.statusCode, 400, query)
  }
})

t.test('only admins read the log', async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  t.equal((await app.inject({ method: 'GET', url: '/api/audit', headers: headersOf(staff) })).statusCode, 403)
})

t.test('a change whose record cannot be written is refused with 503 and not made', async (t) => {
  const { app, headersOf, audit, menu } = await buildTestApp(t)
  audit.down = true
  const refused = await app.inject({ method: 'PATCH', url: '/api/menu/fries', payload: { available: false }, headers: headersOf(staff) })
  t.equal(refused.statusCode, 503)
  t.match(refused.json(), { code: 'audit-unavailable' })
  t.match(menu.items.find((item) => item.id === 'fries'), { available: true })
})
