import createError from '@fastify/error'
import { Type } from 'typebox'
import { MenuItemHistory } from '@restaurant/contracts/kitchen-api'
import { MenuItemChangesSchema, MenuItemSchema, MenuSchema, NewMenuItemSchema } from '@restaurant/contracts/menu'
import type { HttpServer } from '@restaurant/platform/http/server'
import { anyRequestErrors, invalid, json, problem } from './route-docs.js'
import type { RequestContextOf } from './request-context.js'
import type { Waiter } from '../use-cases/waiter.js'

const MenuItemParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' }) })
const AvailabilityBody = Type.Object({ available: Type.Boolean() }, { additionalProperties: false })
const IfNoneMatch = Type.Object({ 'if-none-match': Type.Optional(Type.String({ description: "The menu's `ETag` last read: answered 304 while the menu is unchanged" })) })
const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String({ description: "Required: the item's `version` the edit was made from, as its `ETag` gave it" })) })

export const PreconditionRequiredError = createError('PRECONDITION_REQUIRED', 'An edit of a menu item needs If-Match: the version it was made from', 428)
const BadPreconditionError = createError('INVALID_IF_MATCH', 'If-Match must be one version of the item, as its ETag gives it ("3")', 400)

const etag = (version: number) => `"${version}"`
const itemTag = { ETag: { type: 'string', description: "The item's version, for `If-Match`" } }
const menuTag = { ETag: { type: 'string', description: "The menu's version, for `If-None-Match`" } }
const itemAsItStands = json('The item as it now stands', MenuItemSchema, itemTag)
const onItem = { tags: ['menu'], params: MenuItemParams }
const editErrors = {
  400: invalid,
  404: problem('No such menu item'),
  409: problem('The item is retired, or (adding) exists already'),
  422: problem('Option groups that break their rules; `invalidParams` names each offending field'),
  ...anyRequestErrors,
}
const staleEdit = { 412: problem('The item changed since the version in `If-Match`; `current` is how it stands now'), 428: problem('`If-Match` is missing') }

/** The version an edit was made from, from its If-Match header. */
function madeFrom(header: string | undefined): number {
  if (header === undefined) throw new PreconditionRequiredError()
  const version = /^"([1-9][0-9]{0,9})"$/.exec(header.trim())?.[1]
  if (version === undefined) throw new BadPreconditionError()
  return Number(version)
}

/** The menu: anyone reads it; admins add, change and retire items; staff (and admins) mark them sold out or back. */
export function registerMenuRoutes(app: HttpServer, waiter: Waiter, contextOf: RequestContextOf): void {
  const { menu } = waiter
  app.get('/api/menu', { schema: readMenu }, async (request, reply) => {
    const current = menu.read()
    void reply.header('etag', etag(current.version)).header('cache-control', 'no-cache')
    if (request.headers['if-none-match'] === etag(current.version)) return reply.code(304).send()
    return current
  })
  app.post('/api/menu/items', { schema: addItem }, async (request, reply) => {
    const item = await menu.add(request.body, contextOf(request))
    return reply.code(201).header('location', `/api/menu/items/${item.id}`).header('etag', etag(item.version)).send(item)
  })
  app.patch('/api/menu/items/:id', { schema: changeItem }, async (request, reply) => {
    const item = await menu.change(request.params.id, madeFrom(request.headers['if-match']), request.body, contextOf(request))
    return reply.header('etag', etag(item.version)).send(item)
  })
  app.post('/api/menu/items/:id/retire', { schema: retireItem }, async (request, reply) => {
    const item = await menu.retire(request.params.id, madeFrom(request.headers['if-match']), contextOf(request))
    return reply.header('etag', etag(item.version)).send(item)
  })
  app.get('/api/menu/items/:id/history', { schema: readHistory }, async (request) => ({ states: await menu.history(request.params.id, contextOf(request)) }))
  app.patch('/api/menu/:id', { schema: setAvailability }, async (request, reply) => {
    const item = await menu.setAvailability(request.params.id, request.body.available, contextOf(request))
    return reply.header('etag', etag(item.version)).send(item)
  })
}

const readMenu = {
  tags: ['menu'],
  summary: 'Read the menu',
  description:
    'Every item that can be ordered or is sold out for now, with its options, price, preparation time and station, and ' +
    "the menu's `version`, also its `ETag`: send it as `If-None-Match` to be answered 304 while the menu is unchanged.",
  headers: IfNoneMatch,
  response: { 200: json('The menu', MenuSchema, menuTag), 304: { description: 'The menu is unchanged', type: 'null' }, ...anyRequestErrors },
}

const addItem = {
  tags: ['menu'],
  summary: 'Add a menu item',
  description: 'Admins only. The item can be ordered at once; every instance serves it within about a second.',
  body: NewMenuItemSchema,
  response: { 201: json('The item as stored', MenuItemSchema, { ...itemTag, Location: { type: 'string', description: 'The item: `/api/menu/items/{id}`' } }), ...editErrors },
}

const changeItem = {
  ...onItem,
  summary: 'Change a menu item',
  description:
    'Admins only. Sets the fields sent. `If-Match` names the version the edit was made from: an edit made from an older ' +
    'one is refused with 412 and the item as it stands, never applied over a change it did not see. Orders placed ' +
    'before keep the price and options they were placed with.',
  headers: IfMatch,
  body: MenuItemChangesSchema,
  response: { 200: itemAsItStands, ...staleEdit, ...editErrors },
}

const retireItem = {
  ...onItem,
  summary: 'Retire a menu item',
  description: 'Admins only. It can no longer be ordered or changed; orders that have it keep it, and the kitchen cooks them.',
  headers: IfMatch,
  response: { 200: itemAsItStands, ...staleEdit, ...editErrors },
}

const readHistory = {
  ...onItem,
  summary: "Read a menu item's history",
  description: 'Admins only. Every state the item has had, oldest first, each with who made it and when.',
  response: { 200: json("The item's states", MenuItemHistory), 400: invalid, 404: problem('No such menu item'), ...anyRequestErrors },
}

const setAvailability = {
  ...onItem,
  summary: 'Mark an item sold out or back',
  description:
    'Staff and admins. New orders for a sold-out item are refused with 422, and orders already queued for it are ' +
    '`rejected` by the kitchen with the reason.',
  body: AvailabilityBody,
  response: { 200: itemAsItStands, 400: invalid, 404: problem('No such menu item'), 409: problem('The item is retired'), ...anyRequestErrors },
}
