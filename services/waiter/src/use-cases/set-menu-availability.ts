import createError from '@fastify/error'
import { findMenuItem, type MenuItem } from '@restaurant/contracts/menu'
import type { Menu, RequestContext } from './ports.js'

export const MenuItemNotFoundError = createError('MENU_ITEM_NOT_FOUND', 'No menu item %s', 404)

/** Marks an item sold out or back; the kitchen rejects queued orders for a sold-out item. */
export function createSetMenuAvailability({ menu }: { menu: Menu }) {
  return async function setAvailability(menuItemId: string, available: boolean, ctx: RequestContext): Promise<MenuItem> {
    const item = findMenuItem(await menu.current(), menuItemId)
    if (!item) throw new MenuItemNotFoundError(menuItemId)
    await menu.setAvailable(menuItemId, available)
    ctx.log.info({ menuItemId, available, by: ctx.identity.subject }, available ? 'menu item back' : 'menu item sold out')
    return { ...item, available }
  }
}
