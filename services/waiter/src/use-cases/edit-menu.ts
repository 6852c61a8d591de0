import type { Menu, MenuItem, MenuItemChanges, NewMenuItem } from '@restaurant/contracts/menu'
import { recordThen, type AuditEntry, type AuditLog } from '@restaurant/platform/audit/audit-log'
import type { MenuCopy, MenuOwner, RequestContext } from './ports.js'

export interface EditMenuDeps {
  menuOwner: MenuOwner
  menu: MenuCopy
  audit: AuditLog
}

/**
 * The menu as the front of house reads and edits it. Edits go to its owner, the kitchen, which stores them (and
 * refuses a stale one); the answer is taken into this waiter's copy at once, and every other copy follows the
 * kitchen's announcement.
 */
export function createEditMenu({ menuOwner, menu, audit }: EditMenuDeps) {
  const taken = (item: MenuItem, ctx: RequestContext, message: string): MenuItem => {
    menu.apply(item)
    ctx.log.info({ menuItemId: item.id, version: item.version, by: ctx.identity.subject }, message)
    return item
  }
  // Recorded before the kitchen is asked: no edit without its record.
  const edited = (ctx: RequestContext, entry: AuditEntry, edit: () => Promise<MenuItem>, message: string) =>
    recordThen(audit, ctx, entry, async () => taken(await edit(), ctx, message))
  const by = (ctx: RequestContext) => ctx.identity.subject
  return {
    /** What can be ordered: retired items are left out. */
    read(): Menu {
      const { version, items } = menu.current()
      return { version, items: items.filter((item) => !item.retired) }
    },
    add: (item: NewMenuItem, ctx: RequestContext) =>
      edited(ctx, { action: 'menu-item.added', target: item.id, detail: { name: item.name } }, () => menuOwner.add({ by: by(ctx), item }, ctx.requestId), 'menu item added'),
    change: (id: string, madeFrom: number, change: MenuItemChanges, ctx: RequestContext) =>
      edited(
        ctx,
        { action: 'menu-item.changed', target: id, detail: { madeFrom, fields: Object.keys(change) } },
        () => menuOwner.edit(id, { by: by(ctx), madeFrom, change }, ctx.requestId),
        'menu item changed',
      ),
    retire: (id: string, madeFrom: number, ctx: RequestContext) =>
      edited(ctx, { action: 'menu-item.retired', target: id, detail: { madeFrom } }, () => menuOwner.edit(id, { by: by(ctx), madeFrom, retire: true }, ctx.requestId), 'menu item retired'),
    setAvailability: (id: string, available: boolean, ctx: RequestContext) =>
      edited(
        ctx,
        { action: 'menu-item.availability-changed', target: id, detail: { available } },
        () => menuOwner.edit(id, { by: by(ctx), available }, ctx.requestId),
        available ? 'menu item back' : 'menu item sold out',
      ),
    history: (id: string, ctx: RequestContext) => menuOwner.history(id, ctx.requestId),
  }
}
export type EditMenu = ReturnType<typeof createEditMenu>
