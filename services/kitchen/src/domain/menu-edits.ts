import createError from '@fastify/error'
import type { MenuItem, MenuItemChanges, NewMenuItem, OptionGroup } from '@restaurant/contracts/menu'
import type { InvalidParam } from '@restaurant/contracts/problem'

/**
 * The menu's edit rules: who changed an item and when is kept with each of its states; an edit names the version
 * it was made from, and one made from an older version is refused with the item as it stands.
 */
export const MenuItemNotFoundError = createError('MENU_ITEM_NOT_FOUND', 'No menu item %s', 404)
export const MenuItemExistsError = createError('MENU_ITEM_EXISTS', 'Menu item %s exists already', 409)
export const MenuItemRetiredError = createError('MENU_ITEM_RETIRED', 'Menu item %s is retired: it can no longer change', 409)
export const StaleEditError = createError('STALE_EDIT', 'Menu item %s changed since version %s: `current` is how it stands now', 412)
export const InvalidOptionGroupsError = createError('INVALID_OPTION_GROUPS', "Some option groups break their rules", 422)

/** Who made a change, and when. */
export interface Change {
  by: string
  at: string
}

/** The item's state after `change`: one more version. */
export function changedItem(current: MenuItem, changes: MenuItemChanges | { retired: true }, { by, at }: Change): MenuItem {
  return { ...current, ...changes, version: current.version + 1, changedBy: by, changedAt: at }
}

/** Refuses an edit of an item that is retired, or made from another version than the stored one. */
export function checkEditable(current: MenuItem, madeFrom: number | undefined): void {
  if (current.retired) throw new MenuItemRetiredError(current.id)
  if (madeFrom !== undefined && madeFrom !== current.version) throw Object.assign(new StaleEditError(current.id, madeFrom), { current })
}

/**
 * Option groups an order can choose from: group ids unique, option ids unique across the item's groups (an order
 * names its choices by them alone), and each group asking for no more choices than it has, and no fewer than none.
 */
export function checkOptionGroups(item: Pick<NewMenuItem, 'optionGroups'>): void {
  const problems = item.optionGroups.flatMap((group, index) => groupProblems(group, `/optionGroups/${index}`))
  problems.push(...duplicates(item.optionGroups.map((group) => group.id), (index) => `/optionGroups/${index}/id`))
  const optionIds = item.optionGroups.flatMap((group, g) => group.options.map((option, o) => ({ id: option.id, at: `/optionGroups/${g}/options/${o}/id` })))
  problems.push(...duplicates(optionIds.map(({ id }) => id), (index) => optionIds[index]?.at ?? '/optionGroups'))
  if (problems.length > 0) throw Object.assign(new InvalidOptionGroupsError(), { invalidParams: problems })
}

function groupProblems(group: OptionGroup, field: string): InvalidParam[] {
  if (group.maxChoices > group.options.length) return [problemAt(`${field}/maxChoices`, `${group.maxChoices} is more than its ${group.options.length} options`)]
  if (group.minChoices > group.maxChoices) return [problemAt(`${field}/minChoices`, `${group.minChoices} is more than maxChoices (${group.maxChoices})`)]
  return []
}

function duplicates(ids: readonly string[], fieldOf: (index: number) => string): InvalidParam[] {
  return ids.flatMap((id, index) => (ids.indexOf(id) < index ? [problemAt(fieldOf(index), `${id} is used twice`)] : []))
}

function problemAt(name: string, reason: string): InvalidParam {
  return { in: 'body', name, reason }
}
