import { Type, type Static } from 'typebox'
import { MenuItemChangesSchema, MenuItemSchema, NewMenuItemSchema } from './menu.js'
import { ListOrdersQuery, Order } from './orders.js'

/** The kitchen's internal read API, which the waiter falls back to when its view lacks an order. */
export const kitchenPaths = {
  ticketRoute: '/internal/orders/:id',
  ticket: (orderId: string) => `/internal/orders/${encodeURIComponent(orderId)}`,
  tickets: '/internal/orders',
  menu: '/internal/menu',
  menuItems: '/internal/menu/items',
  menuItemRoute: '/internal/menu/items/:id',
  menuItem: (id: string) => `/internal/menu/items/${encodeURIComponent(id)}`,
}

const Timestamp = Type.String({ format: 'date-time' })

/** One kitchen's spell of work on an order: who, when it began, and how it ended (done, or stopped short). */
function spellOfWork(ends: { ended: string; abandoned: string }) {
  return {
    kitchen: Type.String({ description: 'The kitchen process (incarnation) that did it' }),
    startedAt: Timestamp,
    endedAt: Type.Optional({ ...Timestamp, description: ends.ended }),
    abandonedAt: Type.Optional({ ...Timestamp, description: ends.abandoned }),
  }
}

/** The witness: one cooking of one unit of the order, as the kitchen that cooked it recorded it. */
export const CookedUnit = Type.Object({
  ...spellOfWork({
    ended: 'Set when the unit was finished',
    abandoned: 'Set when the kitchen stopped cooking it unfinished (it lost its claim or its delivery)',
  }),
  unit: Type.Integer({ minimum: 0, description: "Which of the order's units: its lines' units numbered from 0 in line order" }),
  menuItemId: Type.String(),
})
export type CookedUnit = Static<typeof CookedUnit>

/** One kitchen's claim on the order: who held it, and how it ended. */
export const CookingAttempt = Type.Object(
  spellOfWork({
    ended: "Set when this attempt committed the order's last step",
    abandoned: 'Set when it stopped without completing; neither set and expired: its kitchen died',
  }),
)
export type CookingAttempt = Static<typeof CookingAttempt>

/** What the kitchen did for an order: staff see it beside the order. */
export const KitchenRecord = Type.Object({
  cookedUnits: Type.Array(CookedUnit),
  cookingAttempts: Type.Array(CookingAttempt),
})
export type KitchenRecord = Static<typeof KitchenRecord>

export const TicketSchema = Type.Object({
  order: Order,
  fingerprint: Type.Optional(Type.String()),
  ...KitchenRecord.properties,
})
export type TicketView = Static<typeof TicketSchema>

/** The waiter's list query, narrowed to one owner's orders unless the caller sees every order. */
export const KitchenListQuery = Type.Object(
  { ...ListOrdersQuery.properties, owner: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
)
export type KitchenListQuery = Static<typeof KitchenListQuery>

/** An order as staff read it: with the kitchen's record of it, when the kitchen holds its ticket. */
export const StaffOrder = Type.Object({
  ...Order.properties,
  cookedUnits: Type.Optional(KitchenRecord.properties.cookedUnits),
  cookingAttempts: Type.Optional(KitchenRecord.properties.cookingAttempts),
})
export type StaffOrder = Static<typeof StaffOrder>

/**
 * The kitchen's internal menu API, which the waiter calls for the front of house: `by` names who asked (their
 * credential's subject); `madeFrom` is the version an edit was made from (the public API's `If-Match`).
 */
const By = Type.String({ minLength: 1, maxLength: 200 })
const MadeFrom = Type.Integer({ minimum: 1 })
export const KitchenMenuAdd = Type.Object({ by: By, item: NewMenuItemSchema }, { additionalProperties: false })
export type KitchenMenuAdd = Static<typeof KitchenMenuAdd>
export const KitchenMenuEdit = Type.Union([
  Type.Object({ by: By, madeFrom: MadeFrom, change: MenuItemChangesSchema }, { additionalProperties: false }),
  Type.Object({ by: By, madeFrom: MadeFrom, retire: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object({ by: By, available: Type.Boolean() }, { additionalProperties: false }),
])
export type KitchenMenuEdit = Static<typeof KitchenMenuEdit>
export const MenuItemHistory = Type.Object({ states: Type.Array(MenuItemSchema, { description: "The item's states, oldest first" }) })
export type MenuItemHistory = Static<typeof MenuItemHistory>
