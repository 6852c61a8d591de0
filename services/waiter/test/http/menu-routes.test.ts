import t from 'tap'
import { anonymous } from '@restaurant/contracts/identity'
import { menu } from '@restaurant/contracts/menu'
import { alice, staff } from '../use-cases/fake-ports.js'
import { buildTestApp } from './app-harness.js'

t.test('anyone reads the menu, with what is sold out', async (t) => {
  const { app, headersOf, menu: stored } = await buildTestApp(t)
  stored.availability['fries'] = false
  const response = await app.inject({ method: 'GET', url: '/api/menu', headers: headersOf(anonymous) })
  t.equal(response.statusCode, 200)
  const items = response.json<{ items: { id: string; available: boolean }[] }>().items
  t.equal(items.length, menu.length)
  t.match(items.find((item) => item.id === 'fries'), { available: false })
})

t.test('staff mark an item sold out and get the item as it now stands', async (t) => {
  const { app, headersOf, menu: stored } = await buildTestApp(t)
  const response = await app.inject({ method: 'PATCH', url: '/api/menu/fries', payload: { available: false }, headers: headersOf(staff) })
  t.equal(response.statusCode, 200)
  t.match(response.json(), { id: 'fries', available: false })
  t.same(stored.availability, { fries: false })
})

t.test('an unknown item is 404, a malformed change 400, a customer 403', async (t) => {
  const { app, headersOf, menu: stored } = await buildTestApp(t)
  t.match(await app.inject({ method: 'PATCH', url: '/api/menu/pizza', payload: { available: false }, headers: headersOf(staff) }), { statusCode: 404 })
  t.match(await app.inject({ method: 'PATCH', url: '/api/menu/fries', payload: { available: 'no' }, headers: headersOf(staff) }), { statusCode: 400 })
  t.match(await app.inject({ method: 'PATCH', url: '/api/menu/fries', payload: { available: false }, headers: headersOf(alice) }), { statusCode: 403 })
  t.same(stored.availability, {})
})
