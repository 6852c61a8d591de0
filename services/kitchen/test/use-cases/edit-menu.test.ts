import t, { type Test } from 'tap'
import type { MenuItem } from '@restaurant/contracts/menu'
import { createEditMenu } from '../../src/use-cases/edit-menu.js'
import { captureLogs } from '../support/log-capture.js'
import { temporaryMenuStore } from '../support/kitchen-app.js'

async function editor(t: Test, { announceFails = false } = {}) {
  const store = await temporaryMenuStore(t)
  const announced: MenuItem[] = []
  const edits = createEditMenu({
    store,
    announce: async (item) => {
      if (announceFails) throw new Error('the broker did not confirm')
      announced.push(item)
    },
    now: () => new Date('2026-11-30T10:00:00.000Z'),
  })
  const { log, logs } = captureLogs()
  return { store, edits, announced, ctx: { by: 'ada', requestId: 'req-1', log }, logs }
}

t.test('two edits made from the same version: the first is stored and announced, the second is stale and changes nothing', async (t) => {
  const { store, edits, announced, ctx } = await editor(t)
  await edits.changeItem('fries', 1, { priceCents: 470 }, ctx)
  const stale = await edits.changeItem('fries', 1, { priceCents: 480 }, ctx).catch((err: unknown) => err)
  t.match(stale, { code: 'STALE_EDIT', current: { priceCents: 470, version: 2 } })
  t.same((await store.history('fries')).map((item) => item.priceCents), [450, 470])
  t.same(announced.map((item) => item.version), [2])
})

t.test('availability names no version: it applies to the item as it stands, and setting what is already set stores nothing', async (t) => {
  const { store, edits, announced, ctx } = await editor(t)
  await edits.changeItem('fries', 1, { priceCents: 470 }, ctx)
  t.match(await edits.setAvailability('fries', false, ctx), { available: false, priceCents: 470, version: 3 })
  t.match(await edits.setAvailability('fries', false, ctx), { version: 3 })
  t.equal((await store.history('fries')).length, 3)
  t.equal(announced.length, 2)
})

t.test('a change stored but not announced is kept and logged: copies catch up at their next reload', async (t) => {
  const { store, edits, ctx, logs } = await editor(t, { announceFails: true })
  t.match(await edits.retireItem('fries', 1, ctx), { retired: true, version: 2 })
  t.match((await store.items()).find((item) => item.id === 'fries'), { retired: true })
  t.match(logs.filter((line) => line.msg === 'menu change stored but not announced; copies catch up at their next reload'), [{ menuItemId: 'fries' }])
})
