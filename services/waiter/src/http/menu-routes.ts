import { Type } from 'typebox'
import { MenuItemSchema } from '@restaurant/contracts/menu'
import type { HttpServer } from '@restaurant/platform/http/server'
import { anyRequestErrors, invalid, json, problem } from './route-docs.js'
import type { RequestContextOf } from './request-context.js'
import type { Waiter } from '../use-cases/waiter.js'

const Menu = Type.Object({ items: Type.Array(MenuItemSchema) })
const MenuItemParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' }) })
const AvailabilityBody = Type.Object({ available: Type.Boolean() }, { additionalProperties: false })

const readMenu = {
  schema: {
    tags: ['menu'],
    summary: 'Read the menu',
    description: 'Every item with its price, preparation time and station; items marked unavailable cannot be ordered.',
    response: { 200: json('The menu', Menu), ...anyRequestErrors },
  },
}

const setAvailability = {
  schema: {
    tags: ['menu'],
    summary: 'Mark an item sold out or back',
    description:
      'New orders for a sold-out item are refused with 422, and orders already queued for it are `rejected` by ' +
      'the kitchen with the reason.',
    params: MenuItemParams,
    body: AvailabilityBody,
    response: { 200: json('The item as it now stands', MenuItemSchema), 400: invalid, 404: problem('No such menu item'), ...anyRequestErrors },
  },
}

/** The menu: anyone reads it; staff mark items sold out or back. */
export function registerMenuRoutes(app: HttpServer, waiter: Waiter, contextOf: RequestContextOf): void {
  app.get('/api/menu', readMenu, async () => ({ items: [...(await waiter.menu())] }))
  app.patch('/api/menu/:id', setAvailability, async (request) => waiter.setAvailability(request.params.id, request.body.available, contextOf(request)))
}
