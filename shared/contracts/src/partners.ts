import { Type, type Static } from 'typebox'
import { MenuItemSchema, type MenuItem } from './menu.js'
import { Order, Timestamp } from './orders.js'

/**
 * What partners (a delivery service, a till, a loyalty program) learn of the restaurant: events, delivered to the
 * webhooks they subscribe and kept in a feed they can read again.
 */
export const partnerEventTypes = ['order.placed', 'order.status-changed', 'menu.changed'] as const
export const PartnerEventTypeSchema = Type.Enum(partnerEventTypes)
export type PartnerEventType = Static<typeof PartnerEventTypeSchema>

/** What a subscription may see beyond the order itself: the customer's name, table and notes. */
export const partnerScopes = ['customer-details'] as const
export const PartnerScopeSchema = Type.Enum(partnerScopes)
export type PartnerScope = Static<typeof PartnerScopeSchema>

/** An order as a partner sees it: without who placed it, and without the customer's details unless its scope allows. */
export const PartnerOrder = Type.Omit(Order, ['owner'])
export type PartnerOrder = Static<typeof PartnerOrder>

export const PartnerEventSchema = Type.Object({
  id: Type.String({ description: 'The event\'s id, derived from what it tells (an order id and version, a menu item and version): every copy of one event carries the same id, and a webhook\'s `webhook-id` is it' }),
  type: Type.Union([PartnerEventTypeSchema, Type.Literal('webhook.ping')]),
  occurredAt: Timestamp,
  data: Type.Union([Type.Object({ order: PartnerOrder }), Type.Object({ item: MenuItemSchema }), Type.Object({ subscriptionId: Type.String() })]),
})
export type PartnerEvent = Static<typeof PartnerEventSchema>

/** An event as the feed keeps it: in one sequence, which a cursor follows. */
export const FeedEventSchema = Type.Object({ ...PartnerEventSchema.properties, sequence: Type.Integer({ minimum: 1 }) })
export type FeedEvent = Static<typeof FeedEventSchema>

export const FeedPageSchema = Type.Object({
  events: Type.Array(FeedEventSchema),
  nextCursor: Type.String({ description: 'Pass as `after` to read on; the same cursor when nothing newer was there yet' }),
})
export type FeedPage = Static<typeof FeedPageSchema>

export const FEED_PAGE_MAX = 500

const oneType = `(${partnerEventTypes.map((type) => type.replaceAll('.', '\\.')).join('|')})`

export const FeedQuerySchema = Type.Object(
  {
    after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'A cursor from an earlier page; from the oldest event kept when absent' })),
    types: Type.Optional(Type.String({ pattern: `^${oneType}(,${oneType})*$`, maxLength: 200, description: 'Event types, comma-separated' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: FEED_PAGE_MAX, default: 100 })),
  },
  { additionalProperties: false },
)
export type FeedQuery = Static<typeof FeedQuerySchema>

/** The id of an order's event at `version`: placed is version 1, each status change one more. */
export function orderEventId(orderId: string, version: number): string {
  return `evt_${orderId}_${version}`
}

export function menuEventId(item: Pick<MenuItem, 'id' | 'version'>): string {
  return `evt_menu_${item.id}_${item.version}`
}

/** The order as a partner with `scopes` may see it: no owner; no customer, table or line notes without `customer-details`. */
export function partnerOrderOf(order: Order, scopes: readonly PartnerScope[]): PartnerOrder {
  const { owner: _owner, ...seen } = order
  if (scopes.includes('customer-details')) return seen
  const { customer: _customer, table: _table, ...anonymous } = seen
  return { ...anonymous, lines: anonymous.lines.map(({ notes: _notes, ...line }) => line) }
}

/** The event of a state of an order, as a partner with `scopes` sees it: `order.placed` at version 1, a status change after. */
export function orderEvent(order: Order, scopes: readonly PartnerScope[] = []): PartnerEvent {
  const type = order.version === 1 ? 'order.placed' : 'order.status-changed'
  const occurredAt = order.history.at(-1)?.at ?? order.placedAt
  return { id: orderEventId(order.id, order.version), type, occurredAt, data: { order: partnerOrderOf(order, scopes) } }
}

export function menuEvent(item: MenuItem): PartnerEvent {
  return { id: menuEventId(item), type: 'menu.changed', occurredAt: item.changedAt, data: { item } }
}

// The webhook API. The store's record (use-cases/partner-store.ts) is these plus the secrets, which are shown once.

export const NewWebhookSchema = Type.Object(
  {
    url: Type.String({ format: 'uri', maxLength: 2_000, description: 'An `https` URL that does not resolve to a loopback, private or link-local address' }),
    types: Type.Array(PartnerEventTypeSchema, { minItems: 1, maxItems: partnerEventTypes.length, uniqueItems: true }),
    scopes: Type.Optional(Type.Array(PartnerScopeSchema, { maxItems: partnerScopes.length, uniqueItems: true, description: '`customer-details`: the customer\'s name, table and notes are sent too' })),
    description: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
)
export type NewWebhook = Static<typeof NewWebhookSchema>

export const WebhookSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  types: Type.Array(PartnerEventTypeSchema),
  scopes: Type.Array(PartnerScopeSchema),
  description: Type.Optional(Type.String()),
  state: Type.Enum(['active', 'paused']),
  pausedReason: Type.Optional(Type.String({ description: 'Why it is paused: its owner, a `410 Gone`, or failing for too long (with the last error)' })),
  pausedAt: Type.Optional(Timestamp),
  failingSince: Type.Optional(Type.String({ format: 'date-time', description: 'Since when every delivery has failed' })),
  createdAt: Timestamp,
  createdBy: Type.String(),
})
export type Webhook = Static<typeof WebhookSchema>

export const CreatedWebhookSchema = Type.Object({
  subscription: WebhookSchema,
  secret: Type.String({ description: 'The signing secret (`whsec_…`), shown this once' }),
})

export const RotatedSecretSchema = Type.Object({
  secret: Type.String({ description: 'The new signing secret, shown this once' }),
  previousSecretsExpireAt: Type.Optional(Type.String({ format: 'date-time', description: 'Until then, the previous secret signs each delivery too' })),
})

export const DeliveryAttemptSchema = Type.Object({
  subscriptionId: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  attempt: Type.Integer({ minimum: 1 }),
  at: Timestamp,
  statusCode: Type.Optional(Type.Integer()),
  latencyMs: Type.Number(),
  error: Type.Optional(Type.String({ description: 'What went wrong, short: never the receiver\'s whole answer' })),
})
export type DeliveryAttempt = Static<typeof DeliveryAttemptSchema>

export const WebhookIdParams = Type.Object({ id: Type.String({ pattern: '^wh_[0-9a-f]{32}$' }) })
