import t from 'tap'
import { applyItemChange, firstVersion, menu, menuVersionOf, newerOfEach, seedMenu, whyUnorderable, type MenuItem } from '../src/menu.js'

const fries = menu.find((item) => item.id === 'fries') as MenuItem
const next = (item: MenuItem, changes: Partial<MenuItem> = {}): MenuItem => ({ ...item, ...changes, version: item.version + 1 })

t.test('an item on the menu and available may be ordered; sold out, retired and unknown ones are refused, each for its reason', async (t) => {
  t.equal(whyUnorderable(menu, 'fries'), undefined)
  t.equal(whyUnorderable([next(fries, { available: false })], 'fries'), 'sold out')
  t.equal(whyUnorderable([next(fries, { retired: true })], 'fries'), 'not on the menu')
  t.equal(whyUnorderable(menu, 'lobster'), 'not on the menu')
})

t.test("the seed menu is stored as each item's first version; the menu's version counts every item's changes", async (t) => {
  t.equal(menu.length, seedMenu.length)
  t.ok(menu.every((item) => item.version === 1 && !item.retired && item.changedBy === 'seed'))
  t.equal(menuVersionOf(menu), menu.length)
  t.equal(menuVersionOf(menu.map((item) => (item.id === 'fries' ? next(next(item)) : item))), menu.length + 2)
})

t.test("a copy applies an item's next version, ignores an older one, and sees a gap when one was missed", async (t) => {
  const changed = applyItemChange(menu, next(fries, { priceCents: 490 }))
  t.match(changed?.find((item) => item.id === 'fries'), { priceCents: 490, version: 2 })
  t.same(applyItemChange(changed ?? [], fries), changed, 'an older state changes nothing')
  t.equal(applyItemChange(menu, next(next(fries))), undefined, 'version 3 after version 1 is a gap')
  const added = firstVersion({ ...seedMenu[0]!, id: 'nicoise' }, 'ada', '2026-11-30T00:00:00.000Z')
  t.equal(applyItemChange(menu, added)?.at(-1)?.id, 'nicoise', 'a new item is added at the end')
  t.equal(applyItemChange(menu, next(added)), undefined, 'an item first seen at version 2 is a gap')
})

t.test('two readings merge to the newer state of each item, keeping items only one of them holds', async (t) => {
  const held = [next(fries, { priceCents: 490 })]
  const merged = newerOfEach(held, menu)
  t.equal(merged.length, menu.length)
  t.match(merged.find((item) => item.id === 'fries'), { priceCents: 490 })
  t.same(newerOfEach(menu, held).find((item) => item.id === 'fries'), held[0])
})
