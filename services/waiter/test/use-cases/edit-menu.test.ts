import t from 'tap'
import type { Identity } from '@restaurant/contracts/identity'
import { memoryAuditLog } from '../../../../shared/platform/test/audit/memory-audit-log.js'
import { createEditMenu } from '../../src/use-cases/edit-menu.js'
import { fakeMenu, messages, requestFrom, staff } from './fake-ports.js'

const admin: Identity = { subject: 'ada', roles: ['admin'] }
const salad = { id: 'nicoise', name: 'Niçoise', description: 'Tuna, egg, olives', category: 'Salads', priceCents: 1250, prepSeconds: 3, station: 'salad' as const, available: true, optionGroups: [] }

function editor(availability: Record<string, boolean> = {}) {
  const menu = fakeMenu(availability)
  const log = memoryAuditLog()
  return { menu, log, edits: createEditMenu({ menuOwner: menu.menuOwner, menu: menu.menu, audit: log.audit }) }
}

t.test('an admin adds an item: the kitchen stores it, this copy takes it in at once, and who did it is logged', async (t) => {
  const { menu, edits } = editor()
  const ctx = requestFrom(admin)
  t.match(await edits.add(salad, ctx), { id: 'nicoise', version: 1, changedBy: 'ada', retired: false })
  t.match(menu.applied, [{ id: 'nicoise', version: 1 }])
  t.match(messages(ctx.lines, 'menu item added'), [{ menuItemId: 'nicoise', version: 1, by: 'ada' }])
})

t.test('an edit names the version it was made from; a stale one is refused with the item as it stands, and takes nothing in', async (t) => {
  const { menu, edits } = editor()
  t.match(await edits.change('fries', 1, { priceCents: 490 }, requestFrom(admin)), { priceCents: 490, version: 2 })
  const stale = await edits.change('fries', 1, { priceCents: 510 }, requestFrom(admin)).catch((err: unknown) => err)
  t.match(stale, { statusCode: 412, current: { priceCents: 490, version: 2 } })
  t.equal(menu.applied.length, 1)
})

t.test('staff mark an item sold out and back, each logged as such', async (t) => {
  const { edits } = editor()
  const ctx = requestFrom(staff)
  t.match(await edits.setAvailability('fries', false, ctx), { id: 'fries', available: false })
  t.match(await edits.setAvailability('fries', true, ctx), { id: 'fries', available: true })
  t.match(messages(ctx.lines, 'menu item sold out'), [{ menuItemId: 'fries', by: 'sam' }])
  t.match(messages(ctx.lines, 'menu item back'), [{ menuItemId: 'fries' }])
})

t.test('the menu read leaves retired items out; a kitchen that cannot answer an edit fails it, and nothing is logged as made', async (t) => {
  const { menu, edits } = editor()
  await edits.retire('truffle-pasta', 1, requestFrom(admin))
  t.notOk(edits.read().items.some((item) => item.id === 'truffle-pasta'))
  t.equal(edits.read().version, menu.menu.current().version)
  menu.down = true
  const ctx = requestFrom(admin)
  await t.rejects(edits.setAvailability('fries', false, ctx), { code: 'DEPENDENCY_UNAVAILABLE' })
  t.same(messages(ctx.lines, 'menu item sold out'), [])
})

t.test('every edit is recorded with who made it, what and on which item, under its request id', async (t) => {
  const { edits, log } = editor()
  await edits.add(salad, requestFrom(admin, 'req-add'))
  await edits.change('nicoise', 1, { priceCents: 1300 }, requestFrom(admin, 'req-change'))
  await edits.retire('nicoise', 2, requestFrom(admin, 'req-retire'))
  await edits.setAvailability('fries', false, requestFrom(staff, 'req-sold-out'))
  t.match(log.records, [
    { action: 'menu-item.added', target: 'nicoise', actor: admin, requestId: 'req-add', detail: { name: 'Niçoise' } },
    { action: 'menu-item.changed', target: 'nicoise', actor: admin, requestId: 'req-change', detail: { madeFrom: 1, fields: ['priceCents'] } },
    { action: 'menu-item.retired', target: 'nicoise', actor: admin, requestId: 'req-retire' },
    { action: 'menu-item.availability-changed', target: 'fries', actor: staff, requestId: 'req-sold-out', detail: { available: false } },
  ])
})

t.test('an edit whose record cannot be written is refused with 503, and the kitchen is never asked', async (t) => {
  const { menu, edits, log } = editor()
  log.down = true
  await t.rejects(edits.setAvailability('fries', false, requestFrom(staff)), { code: 'AUDIT_UNAVAILABLE', statusCode: 503 })
  t.match(menu.items.find((item) => item.id === 'fries'), { version: 1, available: true }, 'the item is as it was')
  t.same(menu.applied, [])
})

t.test('an edit the kitchen refuses leaves its record and a failed one beside it', async (t) => {
  const { edits, log } = editor()
  await edits.change('fries', 1, { priceCents: 490 }, requestFrom(admin))
  await t.rejects(edits.change('fries', 1, { priceCents: 510 }, requestFrom(admin, 'req-stale')), { code: 'STALE_EDIT' })
  t.match(log.records.slice(1), [
    { action: 'menu-item.changed', requestId: 'req-stale', outcome: 'requested' },
    { action: 'menu-item.changed', requestId: 'req-stale', outcome: 'failed', detail: { error: 'STALE_EDIT' } },
  ])
})
