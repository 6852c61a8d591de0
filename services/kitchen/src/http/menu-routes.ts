import { Type } from 'typebox'
import { kitchenPaths, KitchenMenuAdd, KitchenMenuEdit, MenuItemHistory } from '@restaurant/contracts/kitchen-api'
import { menuVersionOf, MenuItemSchema, MenuSchema } from '@restaurant/contracts/menu'
import { Problem } from '@restaurant/contracts/problem'
import type { HttpServer } from '@restaurant/platform/http/server'
import { MenuItemNotFoundError } from '../domain/menu-edits.js'
import type { EditContext, EditMenu } from '../use-cases/edit-menu.js'
import type { MenuStore } from '../use-cases/menu-store.js'

const MenuItemParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const problems = { 404: Problem, 409: Problem, 412: Problem, 422: Problem }

/** The internal menu API: the kitchen owns the menu; the waiter reads it whole and forwards the front of house's edits. */
export function registerMenuRoutes(app: HttpServer, store: Pick<MenuStore, 'items' | 'history'>, edits: EditMenu): void {
  const contextOf = (request: { id: string; log: EditContext['log'] }, by: string): EditContext => ({ by, requestId: request.id, log: request.log })

  app.get(kitchenPaths.menu, { schema: { response: { 200: MenuSchema } } }, async () => {
    const items = await store.items()
    return { version: menuVersionOf(items), items }
  })

  app.post(kitchenPaths.menuItems, { schema: { body: KitchenMenuAdd, response: { 201: MenuItemSchema, ...problems } } }, async (request, reply) => {
    return reply.code(201).send(await edits.addItem(request.body.item, contextOf(request, request.body.by)))
  })

  app.patch(kitchenPaths.menuItemRoute, { schema: { params: MenuItemParams, body: KitchenMenuEdit, response: { 200: MenuItemSchema, ...problems } } }, async (request) => {
    const { id } = request.params
    const edit = request.body
    const ctx = contextOf(request, edit.by)
    if ('available' in edit) return edits.setAvailability(id, edit.available, ctx)
    if ('retire' in edit) return edits.retireItem(id, edit.madeFrom, ctx)
    return edits.changeItem(id, edit.madeFrom, edit.change, ctx)
  })

  app.get(`${kitchenPaths.menuItemRoute}/history`, { schema: { params: MenuItemParams, response: { 200: MenuItemHistory, 404: Problem } } }, async (request) => {
    const states = await store.history(request.params.id)
    if (states.length === 0) throw new MenuItemNotFoundError(request.params.id)
    return { states }
  })
}
