import { Type, type Static } from 'typebox'
import { orderStatuses } from './order-status.js'
import { StationSchema } from './menu.js'

/** Order schemas: one definition validates requests, shapes responses and types the code. */

export const MAX_LINES = 50
export const MAX_QUANTITY = 20
export const MAX_NOTES_LENGTH = 200
export const MAX_OPTIONS = 10
export const DEFAULT_PAGE_SIZE = 20

export const OrderId = Type.String({ format: 'uuid', description: 'Unguessable order id' })
export const OrderStatusSchema = Type.Enum(orderStatuses)
export const Timestamp = Type.String({ format: 'date-time' })

export const OrderItemInput = Type.Object(
  {
    menuItemId: Type.String({ minLength: 1, maxLength: 64 }),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
    options: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: MAX_OPTIONS,
        description: "Ids of the options chosen from the item's option groups, each at most once (`GET /api/menu`)",
      }),
    ),
    notes: Type.Optional(Type.String({ maxLength: MAX_NOTES_LENGTH })),
  },
  { additionalProperties: false },
)
export type OrderItemInput = Static<typeof OrderItemInput>

export const PlaceOrderBody = Type.Object(
  {
    items: Type.Array(OrderItemInput, { minItems: 1, maxItems: MAX_LINES }),
    table: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    customer: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
)
export type PlaceOrderBody = Static<typeof PlaceOrderBody>

export const ChosenOption = Type.Object({
  id: Type.String(),
  name: Type.String(),
  group: Type.String({ description: "The option group's name" }),
  priceDeltaCents: Type.Integer({ minimum: 0 }),
})
export type ChosenOption = Static<typeof ChosenOption>

// Bounded as on intake: a message claiming a thousand-fold line is malformed, not work for the kitchen. A line is a
// snapshot of the menu as it was when the order was placed: a later change to the dish never reprices or recooks it.
export const OrderLine = Type.Object({
  menuItemId: Type.String(),
  name: Type.String(),
  station: StationSchema,
  quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
  options: Type.Optional(Type.Array(ChosenOption, { maxItems: MAX_OPTIONS })),
  unitPriceCents: Type.Integer({ description: "The dish's price with its options'" }),
  lineTotalCents: Type.Integer(),
  prepSeconds: Type.Optional(
    Type.Number({ minimum: 0, description: "One unit's preparation time with its options'; absent on orders placed before options were" }),
  ),
  notes: Type.Optional(Type.String()),
})
export type OrderLine = Static<typeof OrderLine>

export const HistoryEntry = Type.Object({ status: OrderStatusSchema, at: Timestamp })
export type HistoryEntry = Static<typeof HistoryEntry>

export const CookedItem = Type.Object({
  menuItemId: Type.String(),
  station: StationSchema,
  startedAt: Timestamp,
  endedAt: Timestamp,
})

export const KitchenResult = Type.Object({
  items: Type.Array(CookedItem),
  startedAt: Timestamp,
  readyAt: Timestamp,
  totalPrepMs: Type.Integer({ minimum: 0, description: 'Time from the first item started to the last one done' }),
})
export type KitchenResult = Static<typeof KitchenResult>

export const Order = Type.Object({
  id: OrderId,
  status: OrderStatusSchema,
  placedAt: Timestamp,
  lines: Type.Array(OrderLine, { minItems: 1, maxItems: MAX_LINES }),
  totalCents: Type.Integer(),
  menuVersion: Type.Optional(Type.Integer({ minimum: 0, description: "The menu's version its lines were priced from" })),
  table: Type.Optional(Type.String()),
  customer: Type.Optional(Type.String()),
  owner: Type.Optional(Type.String({ description: 'The credential that placed it (JWT `sub`, or `key:{id}`)' })),
  history: Type.Array(HistoryEntry),
  version: Type.Integer({
    minimum: 1,
    description: 'Counts the changes of the order: 1 when placed, one more at each status change. Of two states of one order, the higher version is the newer',
  }),
  reason: Type.Optional(Type.String({ description: 'Why the order was rejected or failed' })),
  result: Type.Optional(KitchenResult),
})
export type Order = Static<typeof Order>

export const OrderPage = Type.Object({
  orders: Type.Array(Order),
  nextCursor: Type.Optional(Type.String({ description: 'Pass as `cursor` to get the next page' })),
})
export type OrderPage = Static<typeof OrderPage>

export const ListOrdersQuery = Type.Object(
  {
    status: Type.Optional(OrderStatusSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: DEFAULT_PAGE_SIZE })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
)
export type ListOrdersQuery = Static<typeof ListOrdersQuery>

export const OrderIdParams = Type.Object({ id: OrderId })
