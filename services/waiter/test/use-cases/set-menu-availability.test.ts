import t from 'tap'
import { createSetMenuAvailability } from '../../src/use-cases/set-menu-availability.js'
import { fakeMenu, messages, requestFrom, staff } from './fake-ports.js'

t.test('staff mark an item sold out: it is stored, answered as it now stands, and logged with who did it', async (t) => {
  const menu = fakeMenu()
  const ctx = requestFrom(staff)
  t.match(await createSetMenuAvailability(menu)('fries', false, ctx), { id: 'fries', priceCents: 450, available: false })
  t.same(menu.availability, { fries: false })
  t.match(messages(ctx.lines, 'menu item sold out'), [{ menuItemId: 'fries', available: false, by: 'sam' }])
})

t.test('an item marked back is logged as back', async (t) => {
  const menu = fakeMenu({ fries: false })
  const ctx = requestFrom(staff)
  t.match(await createSetMenuAvailability(menu)('fries', true, ctx), { id: 'fries', available: true })
  t.same(menu.availability, { fries: true })
  t.match(messages(ctx.lines, 'menu item back'), [{ menuItemId: 'fries' }])
})

t.test('an item not on the menu is not found, and nothing is stored', async (t) => {
  const menu = fakeMenu()
  await t.rejects(createSetMenuAvailability(menu)('pizza', false, requestFrom(staff)), { code: 'MENU_ITEM_NOT_FOUND', statusCode: 404 })
  t.same(menu.availability, {})
})

t.test('a change that cannot be stored fails, and is not logged as made', async (t) => {
  const menu = fakeMenu()
  menu.down = true
  const ctx = requestFrom(staff)
  await t.rejects(createSetMenuAvailability(menu)('fries', false, ctx), { code: 'DEPENDENCY_UNAVAILABLE' })
  t.same(messages(ctx.lines, 'menu item sold out'), [])
})
