import t from 'tap'
import { anonymous, type Identity } from '@restaurant/contracts/identity'
import { menu } from '@restaurant/contracts/menu'
import { alice, staff } from '../use-cases/fake-ports.js'
import { buildTestApp } from './app-harness.js'

const admin: Identity = { subject: 'ada', roles: ['admin'] }
const salad = { id: 'nicoise', name: 'Niçoise', description: 'Tuna, egg, olives', category: 'Salads', priceCents: 1250, prepSeconds: 3, station: 'salad', available: true, optionGroups: [] }

t.test('anyone reads the menu with its version as ETag, and is answered 304 while it is unchanged', async (t) => {
  const { app, headersOf, menu: stored } = await buildTestApp(t)
  stored.items[3] = { ...stored.items[3]!, available: false, version: 2 }
  const response = await app.inject({ method: 'GET', url: '/api/menu', headers: headersOf(anonymous) })
  t.equal(response.statusCode, 200)
  const read = response.json<{ version: number; items: { id: string; available: boolean }[] }>()
  t.equal(read.items.length, menu.length)
  t.match(read.items[3], { available: false })
  t.equal(response.headers.etag, `"${read.version}"`)
  const again = await app.inject({ method: 'GET', url: '/api/menu', headers: { ...headersOf(anonymous), 'if-none-match': `"${read.version}"` } })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')
  const older = await app.inject({ method: 'GET', url: '/api/menu', headers: { ...headersOf(anonymous), 'if-none-match': `"${read.version - 1}"` } })
  t.equal(older.statusCode, 200)
})

t.test('an admin adds an item (201, Location, ETag) and changes it with If-Match', async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  const added = await app.inject({ method: 'POST', url: '/api/menu/items', payload: salad, headers: headersOf(admin) })
  t.equal(added.statusCode, 201)
  t.equal(added.headers.location, '/api/menu/items/nicoise')
  t.equal(added.headers.etag, '"1"')
  const changed = await app.inject({ method: 'PATCH', url: '/api/menu/items/nicoise', payload: { priceCents: 1300 }, headers: { ...headersOf(admin), 'if-match': '"1"' } })
  t.equal(changed.statusCode, 200)
  t.match(changed.json(), { priceCents: 1300, version: 2, changedBy: 'ada' })
  t.equal(changed.headers.etag, '"2"')
})

t.test('an edit without If-Match is 428; a malformed one 400; a stale one 412 with the item as it stands', async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  const edit = (ifMatch?: string) =>
    app.inject({ method: 'PATCH', url: '/api/menu/items/fries', payload: { priceCents: 500 }, headers: { ...headersOf(admin), ...(ifMatch ? { 'if-match': ifMatch } : {}) } })
  t.match((await edit()).json(), { status: 428, code: 'precondition-required' })
  t.match((await edit('*')).json(), { status: 400, code: 'invalid-if-match' })
  t.equal((await edit('"1"')).statusCode, 200)
  const stale = await edit('"1"')
  t.equal(stale.statusCode, 412)
  t.match(stale.json(), { code: 'stale-edit', current: { id: 'fries', priceCents: 500, version: 2 } })
})

t.test('a retired item leaves the menu, and its history stays for admins', async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  t.equal((await app.inject({ method: 'POST', url: '/api/menu/items/fries/retire', headers: { ...headersOf(admin), 'if-match': '"1"' } })).statusCode, 200)
  const items = (await app.inject({ method: 'GET', url: '/api/menu', headers: headersOf(anonymous) })).json<{ items: { id: string }[] }>().items
  t.notOk(items.some((item) => item.id === 'fries'))
  t.match((await app.inject({ method: 'GET', url: '/api/menu/items/fries/history', headers: headersOf(admin) })).json(), { states: [{ id: 'fries', retired: true }] })
})

t.test('staff and admins mark an item sold out; a bad body is 400 naming the field, an unknown item 404', async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  for (const who of [staff, admin]) {
    const response = await app.inject({ method: 'PATCH', url: '/api/menu/fries', payload: { available: false }, headers: headersOf(who) })
    t.match(response.json(), { id: 'fries', available: false })
  }
  t.match(await app.inject({ method: 'PATCH', url: '/api/menu/pizza', payload: { available: false }, headers: headersOf(staff) }), { statusCode: 404 })
  const bad = await app.inject({ method: 'POST', url: '/api/menu/items', payload: { ...salad, priceCents: -1 }, headers: headersOf(admin) })
  t.match(bad.json(), { status: 400, invalidParams: [{ name: '/priceCents' }] })
})

t.test('who may do what: customers and staff may not edit items; customers may not mark them sold out', async (t) => {
  const { app, headersOf } = await buildTestApp(t)
  for (const who of [alice, staff]) {
    t.equal((await app.inject({ method: 'POST', url: '/api/menu/items', payload: salad, headers: headersOf(who) })).statusCode, 403)
    t.equal((await app.inject({ method: 'PATCH', url: '/api/menu/items/fries', payload: { priceCents: 1 }, headers: { ...headersOf(who), 'if-match': '"1"' } })).statusCode, 403)
    t.equal((await app.inject({ method: 'GET', url: '/api/menu/items/fries/history', headers: headersOf(who) })).statusCode, 403)
  }
  t.equal((await app.inject({ method: 'PATCH', url: '/api/menu/fries', payload: { available: false }, headers: headersOf(alice) })).statusCode, 403)
})
