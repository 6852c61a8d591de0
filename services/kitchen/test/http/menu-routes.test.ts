import t from 'tap'
import { kitchenPaths } from '@restaurant/contracts/kitchen-api'
import { menu as seedMenu, menuVersionOf } from '@restaurant/contracts/menu'
import { asWaiter, buildApp } from '../support/kitchen-app.js'

const salad = { id: 'nicoise', name: 'Niçoise', description: '', category: 'Salads', priceCents: 1250, prepSeconds: 3, station: 'salad', available: true, optionGroups: [] }

t.test('the menu is read whole, with its version: the sum of its items', async (t) => {
  const { app } = await buildApp(t)
  const read = (await app.inject(asWaiter({ method: 'GET', url: kitchenPaths.menu }))).json<{ version: number; items: unknown[] }>()
  t.equal(read.items.length, seedMenu.length)
  t.equal(read.version, menuVersionOf(seedMenu))
})

t.test('each edit is stored as the next version, named after who asked, and announced with the menu version', async (t) => {
  const { app, menuStore, announced } = await buildApp(t)
  const added = await app.inject(asWaiter({ method: 'POST', url: kitchenPaths.menuItems, payload: { by: 'ada', item: salad } }))
  t.equal(added.statusCode, 201)
  const edit = (body: object) => app.inject(asWaiter({ method: 'PATCH', url: kitchenPaths.menuItem('nicoise'), payload: { by: 'ada', ...body } }))
  t.match((await edit({ madeFrom: 1, change: { priceCents: 1300 } })).json(), { version: 2, priceCents: 1300, changedBy: 'ada' })
  t.match((await edit({ available: false })).json(), { version: 3, available: false })
  t.match((await edit({ madeFrom: 3, retire: true })).json(), { version: 4, retired: true })
  t.same(announced.map(({ item, menuVersion }) => [item.version, menuVersion]), [[1, menuVersionOf(seedMenu) + 1], [2, menuVersionOf(seedMenu) + 2], [3, menuVersionOf(seedMenu) + 3], [4, menuVersionOf(seedMenu) + 4]])
  t.same((await menuStore.history('nicoise')).map((state) => state.version), [1, 2, 3, 4])
  const history = (await app.inject(asWaiter({ method: 'GET', url: `${kitchenPaths.menuItem('nicoise')}/history` }))).json<{ states: unknown[] }>()
  t.equal(history.states.length, 4)
})

t.test('refusals: a stale edit 412 with the item as it stands, an existing id 409, a retired item 409, an unknown one 404, broken option groups 422', async (t) => {
  const { app, announced } = await buildApp(t)
  const edit = (id: string, body: object) => app.inject(asWaiter({ method: 'PATCH', url: kitchenPaths.menuItem(id), payload: { by: 'ada', ...body } }))
  t.equal((await edit('fries', { madeFrom: 1, change: { priceCents: 470 } })).statusCode, 200)
  t.match((await edit('fries', { madeFrom: 1, change: { priceCents: 480 } })).json(), { status: 412, code: 'stale-edit', current: { priceCents: 470, version: 2 } })
  t.match((await app.inject(asWaiter({ method: 'POST', url: kitchenPaths.menuItems, payload: { by: 'ada', item: { ...salad, id: 'fries' } } }))).json(), { status: 409, code: 'menu-item-exists' })
  t.match((await edit('pizza', { available: false })).json(), { status: 404 })
  const doneness = { id: 'doneness', name: 'Doneness', minChoices: 2, maxChoices: 1, options: [{ id: 'rare', name: 'Rare', priceDeltaCents: 0, prepSecondsDelta: 0 }] }
  t.match((await edit('fries', { madeFrom: 2, change: { optionGroups: [doneness] } })).json(), { status: 422, invalidParams: [{ name: '/optionGroups/0/minChoices' }] })
  t.equal((await edit('fries', { madeFrom: 2, retire: true })).statusCode, 200)
  t.match((await edit('fries', { available: true })).json(), { status: 409, code: 'menu-item-retired' })
  t.equal(announced.length, 2, 'only what was stored was announced')
})
