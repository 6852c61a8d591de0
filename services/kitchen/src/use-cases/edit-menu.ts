import { findMenuItem, firstVersion, menuVersionOf, type MenuItem, type MenuItemChanges, type NewMenuItem } from '@restaurant/contracts/menu'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { changedItem, checkEditable, checkOptionGroups, MenuItemExistsError, MenuItemNotFoundError, StaleEditError, type Change } from '../domain/menu-edits.js'
import type { MenuStore } from './menu-store.js'

/** Who asks for a change, and the request it comes with. */
export interface EditContext {
  by: string
  requestId: string
  log: Pick<Logger, 'info' | 'warn'>
}

export interface EditMenuDeps {
  store: Pick<MenuStore, 'items' | 'write'>
  /** Tells every copy of the menu of the item's new state; resolves once the broker confirmed it. */
  announce: (item: MenuItem, menuVersion: number, correlationId: string) => Promise<void>
  now: () => Date
}

// Times an availability change is tried again when another change to the item came first.
const AVAILABILITY_ATTEMPTS = 3

/**
 * The menu's edits, by its owner: each is stored as the item's next version (the first writer of a version wins),
 * then announced. An edit names the version it was made from; availability, which staff flip, does not.
 */
export function createEditMenu(deps: EditMenuDeps) {
  const changeOf = (ctx: EditContext): Change => ({ by: ctx.by, at: deps.now().toISOString() })

  async function commit(item: MenuItem, ctx: EditContext): Promise<MenuItem | undefined> {
    if (!(await deps.store.write(item))) return undefined
    const menuVersion = menuVersionOf(await deps.store.items())
    await deps.announce(item, menuVersion, ctx.requestId).catch((err: unknown) => ctx.log.warn({ err, menuItemId: item.id }, 'menu change stored but not announced; copies catch up at their next reload'))
    ctx.log.info({ menuItemId: item.id, version: item.version, by: ctx.by }, 'menu item changed')
    return item
  }

  async function stored(id: string): Promise<MenuItem> {
    const item = findMenuItem(await deps.store.items(), id)
    if (!item) throw new MenuItemNotFoundError(id)
    return item
  }

  /** Stores the edit of the item as made from `madeFrom`; a writer that came first makes it stale. */
  async function edit(id: string, madeFrom: number, changes: MenuItemChanges | { retired: true }, ctx: EditContext): Promise<MenuItem> {
    const current = await stored(id)
    checkEditable(current, madeFrom)
    const next = changedItem(current, changes, changeOf(ctx))
    checkOptionGroups(next)
    return (await commit(next, ctx)) ?? staleAgainst(id, madeFrom)
  }

  async function staleAgainst(id: string, madeFrom: number): Promise<never> {
    throw Object.assign(new StaleEditError(id, madeFrom), { current: await stored(id) })
  }

  return {
    async addItem(input: NewMenuItem, ctx: EditContext): Promise<MenuItem> {
      checkOptionGroups(input)
      const { by, at } = changeOf(ctx)
      const added = findMenuItem(await deps.store.items(), input.id) ? undefined : await commit(firstVersion(input, by, at), ctx)
      if (!added) throw new MenuItemExistsError(input.id)
      return added
    },
    changeItem: (id: string, madeFrom: number, changes: MenuItemChanges, ctx: EditContext) => edit(id, madeFrom, changes, ctx),
    retireItem: (id: string, madeFrom: number, ctx: EditContext) => edit(id, madeFrom, { retired: true }, ctx),
    async setAvailability(id: string, available: boolean, ctx: EditContext): Promise<MenuItem> {
      for (let attempt = 1; ; attempt++) {
        const current = await stored(id)
        checkEditable(current, undefined)
        if (current.available === available) return current
        const written = await commit(changedItem(current, { available }, changeOf(ctx)), ctx)
        if (written || attempt === AVAILABILITY_ATTEMPTS) return written ?? staleAgainst(id, current.version)
      }
    },
  }
}
export type EditMenu = ReturnType<typeof createEditMenu>
