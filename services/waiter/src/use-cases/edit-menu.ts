import type { Menu, MenuItem, MenuItemChanges, NewMenuItem } from '@restaurant/contracts/menu'
import type { MenuCopy, MenuOwner, RequestContext } from './ports.js'

export interface EditMenuDeps {
  menuOwner: MenuOwner
  menu: MenuCopy
}

/**
 * The menu as the front of house reads and edits it. Edits go to its owner, the kitchen, which stores them (and
 * refuses a stale one); the answer is taken into this waiter's copy at once, and every other copy follows the
 * kitchen's announcement.
 */
export function createEditMenu({ menuOwner, menu }: EditMenuDeps) {
  const taken = (item: MenuItem, ctx: RequestContext, message: string): MenuItem => {
    menu.apply(item)
    ctx.log.info({ menuItemId: item.id, version: item.version, by: ctx.identity.subject }, message)
    return item
  }
  const by = (ctx: RequestContext) => ctx.identity.subject
  return {
    /** What can be ordered: retired items are left out. */
    read(): Menu {
      const { version, items } = menu.current()
      return { version, items: items.filter((item) => !item.retired) }
    },
    add: async (item: NewMenuItem, ctx: RequestContext) => taken(await menuOwner.add({ by: by(ctx), item }, ctx.requestId), ctx, 'menu item added'),
    change: async (id: string, madeFrom: number, change: MenuItemChanges, ctx: RequestContext) =>
      taken(await menuOwner.edit(id, { by: by(ctx), madeFrom, change }, ctx.requestId), ctx, 'menu item changed'),
    retire: async (id: string, madeFrom: number, ctx: RequestContext) =>
      taken(await menuOwner.edit(id, { by: by(ctx), madeFrom, retire: true }, ctx.requestId), ctx, 'menu item retired'),
    setAvailability: async (id: string, available: boolean, ctx: RequestContext) =>
      taken(await menuOwner.edit(id, { by: by(ctx), available }, ctx.requestId), ctx, available ? 'menu item back' : 'menu item sold out'),
    history: (id: string, ctx: RequestContext) => menuOwner.history(id, ctx.requestId),
  }
}
export type EditMenu = ReturnType<typeof createEditMenu>
