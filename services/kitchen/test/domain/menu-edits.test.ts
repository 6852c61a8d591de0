import t from 'tap'
import { buildMenuItem } from '@restaurant/contracts/testing'
import { changedItem, checkEditable, checkOptionGroups } from '../../src/domain/menu-edits.js'

const option = (id: string) => ({ id, name: id, priceDeltaCents: 0, prepSecondsDelta: 0 })
const group = (id: string, minChoices: number, maxChoices: number, ...options: string[]) => ({ id, name: id, minChoices, maxChoices, options: options.map(option) })

t.test('a change is the next version, named after who made it and when', async (t) => {
  const item = buildMenuItem({ id: 'fries', priceCents: 450, version: 3 })
  t.match(changedItem(item, { priceCents: 490 }, { by: 'ada', at: '2026-11-30T10:00:00.000Z' }), { priceCents: 490, version: 4, changedBy: 'ada', changedAt: '2026-11-30T10:00:00.000Z' })
})

t.test('an edit made from another version is stale, carrying the item as it stands; a retired item no longer changes', async (t) => {
  const item = buildMenuItem({ id: 'fries', version: 3 })
  t.doesNotThrow(() => checkEditable(item, 3))
  t.doesNotThrow(() => checkEditable(item, undefined), 'availability names no version')
  t.throws(() => checkEditable(item, 2), { code: 'STALE_EDIT', statusCode: 412, current: item })
  t.throws(() => checkEditable({ ...item, retired: true }, 3), { code: 'MENU_ITEM_RETIRED', statusCode: 409 })
})

t.test('option groups must be choosable: each problem names its field', async (t) => {
  t.doesNotThrow(() => checkOptionGroups({ optionGroups: [group('doneness', 1, 1, 'rare', 'well'), group('extras', 0, 2, 'cheese', 'bacon')] }))
  const refusal = (() => {
    try {
      checkOptionGroups({ optionGroups: [group('a', 0, 3, 'x', 'y'), group('b', 2, 1, 'z'), group('a', 0, 1, 'x')] })
    } catch (err) {
      return err
    }
  })()
  t.match(refusal, {
    statusCode: 422,
    invalidParams: [
      { name: '/optionGroups/0/maxChoices', reason: '3 is more than its 2 options' },
      { name: '/optionGroups/1/minChoices', reason: '2 is more than maxChoices (1)' },
      { name: '/optionGroups/2/id', reason: 'a is used twice' },
      { name: '/optionGroups/2/options/0/id', reason: 'x is used twice' },
    ],
  })
})
