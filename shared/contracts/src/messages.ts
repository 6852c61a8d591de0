import { Type, type Static } from 'typebox'
import { MenuItemSchema } from './menu.js'
import { Order, Timestamp } from './orders.js'
import { PartnerEventSchema } from './partners.js'

/**
 * Message contracts between the services: routing keys, queue names and payload schemas.
 * Every name is derived from a namespace so that test runs and deployments never share queues.
 */

export const routingKeys = {
  orderPlaced: 'order.placed',
  cancelOrder: 'order.cancel',
  orderStatusChanged: 'order.status-changed',
  menuChanged: 'menu.changed',
  webhookDelivery: 'webhook.delivery',
} as const
export type RoutingKey = (typeof routingKeys)[keyof typeof routingKeys]

export interface QueueBinding {
  queue: string
  routingKey: RoutingKey
  /** Further routing keys whose messages the queue gets too. */
  alsoBoundTo?: readonly RoutingKey[]
}

/** Every routing key whose messages reach the binding's queue. */
export function routingKeysOf({ routingKey, alsoBoundTo = [] }: QueueBinding): RoutingKey[] {
  return [routingKey, ...alsoBoundTo]
}

export interface Topology {
  exchange: string
  deadLetterExchange: string
  queues: {
    kitchenOrders: QueueBinding
    kitchenCancellations: QueueBinding
    waiterStatus: QueueBinding
    /** What partners are told of: every order placed, every status change, every menu change. */
    waiterPartnerEvents: QueueBinding
    /** One message per webhook to deliver, with its attempt. */
    waiterWebhooks: QueueBinding
  }
}

export function topologyFor(namespace: string): Topology {
  return {
    exchange: `${namespace}.orders`,
    deadLetterExchange: `${namespace}.dead-letter`,
    queues: {
      kitchenOrders: { queue: `${namespace}.kitchen.orders`, routingKey: routingKeys.orderPlaced },
      kitchenCancellations: { queue: `${namespace}.kitchen.cancellations`, routingKey: routingKeys.cancelOrder },
      waiterStatus: { queue: `${namespace}.waiter.order-status`, routingKey: routingKeys.orderStatusChanged },
      waiterPartnerEvents: {
        queue: `${namespace}.waiter.partner-events`,
        routingKey: routingKeys.orderPlaced,
        alsoBoundTo: [routingKeys.orderStatusChanged, routingKeys.menuChanged],
      },
      waiterWebhooks: { queue: `${namespace}.waiter.webhooks`, routingKey: routingKeys.webhookDelivery },
    },
  }
}

export function deadLetterQueueFor(queue: string): string {
  return `${queue}.dead`
}

/** order.placed: the waiter took an order; the kitchen must cook it exactly once. */
export const OrderPlacedMessage = Type.Object({
  order: Order,
  fingerprint: Type.String({ description: 'Hash of the request body, to tell an idempotent retry from key reuse' }),
})
export type OrderPlacedMessage = Static<typeof OrderPlacedMessage>

/** order.cancel: a customer asked to cancel; carries the order as the waiter knows it. */
export const CancelOrderMessage = Type.Object({ order: Order })
export type CancelOrderMessage = Static<typeof CancelOrderMessage>

/** order.status-changed: the kitchen's record after a transition (event-carried state). */
export const OrderStatusChangedMessage = Type.Object({ order: Order })
export type OrderStatusChangedMessage = Static<typeof OrderStatusChangedMessage>

/**
 * menu.changed: the kitchen, which owns the menu, stored a new state of an item. Every instance that keeps a copy
 * of the menu receives it on a queue of its own; `version` is the menu's version once this change is in it.
 */
export const MenuChangedMessage = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  item: MenuItemSchema,
})
export type MenuChangedMessage = Static<typeof MenuChangedMessage>

/**
 * webhook.delivery: one event to deliver to one webhook subscription. A failed attempt is followed by a copy with the
 * next `attempt`, not to be made before `notBefore`.
 */
export const WebhookDeliveryMessage = Type.Object({
  subscriptionId: Type.String(),
  event: PartnerEventSchema,
  attempt: Type.Integer({ minimum: 1 }),
  notBefore: Type.Optional(Timestamp),
})
export type WebhookDeliveryMessage = Static<typeof WebhookDeliveryMessage>

/** What the waiter's partner-events queue receives: an order's state (placed, or a status change) or a menu change. */
export const PartnerEventSourceMessage = Type.Union([OrderStatusChangedMessage, MenuChangedMessage])
export type PartnerEventSourceMessage = Static<typeof PartnerEventSourceMessage>
