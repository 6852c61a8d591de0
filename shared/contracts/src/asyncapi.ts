import type { TSchema } from 'typebox'
import {
  CancelOrderMessage,
  deadLetterQueueFor,
  MenuChangedMessage,
  routingKeysOf,
  OrderPlacedMessage,
  OrderStatusChangedMessage,
  routingKeys,
  WebhookDeliveryMessage,
  type QueueBinding,
  type RoutingKey,
  type Topology,
} from './messages.js'

export const MESSAGES_VERSION = '1.2.0'
const AMQP_BINDING_VERSION = '0.3.0'

type Service = 'waiter' | 'kitchen'

interface Flow {
  /** Names the channel, its message and (capitalised) its operations. */
  id: string
  title: string
  summary: string
  payload: TSchema
  sender: Service
  /** One for a work queue; for a broadcast, every service whose instances each receive every message. */
  receivers: readonly Service[]
}

const flows: Record<RoutingKey, Flow> = {
  [routingKeys.orderPlaced]: {
    id: 'orderPlaced',
    title: 'Order placed',
    summary: 'The waiter took an order; the kitchen must cook it exactly once.',
    payload: OrderPlacedMessage,
    sender: 'waiter',
    receivers: ['kitchen'],
  },
  [routingKeys.cancelOrder]: {
    id: 'cancelOrder',
    title: 'Cancel order',
    summary: 'A customer asked to cancel; carries the order as the waiter knows it.',
    payload: CancelOrderMessage,
    sender: 'waiter',
    receivers: ['kitchen'],
  },
  [routingKeys.orderStatusChanged]: {
    id: 'orderStatusChanged',
    title: 'Order status changed',
    summary: "The kitchen's record of the order after a transition (event-carried state).",
    payload: OrderStatusChangedMessage,
    sender: 'kitchen',
    receivers: ['waiter'],
  },
  [routingKeys.menuChanged]: {
    id: 'menuChanged',
    title: 'Menu changed',
    summary: 'The kitchen, which owns the menu, stored a new state of an item; every copy of the menu follows it.',
    payload: MenuChangedMessage,
    sender: 'kitchen',
    // The kitchen keeps a copy too: every instance of it follows the changes the others made.
    receivers: ['waiter', 'kitchen'],
  },
  [routingKeys.webhookDelivery]: {
    id: 'webhookDelivery',
    title: 'Webhook delivery',
    summary: "One partner event to deliver to one webhook subscription, with its attempt; a failed attempt is followed by the next.",
    payload: WebhookDeliveryMessage,
    sender: 'waiter',
    receivers: ['waiter'],
  },
}

/**
 * Routing keys every instance of each receiver gets (`Bus.subscribe`): on a queue of its own, which the broker names
 * and deletes with the instance's connection, so the topology, which holds the named queues, has none for them.
 */
export const broadcastKeys: readonly RoutingKey[] = [routingKeys.menuChanged]

/** What the AMQP binding says of an instance's own queue: no name (the broker gives one), nothing kept, no dead letters. */
const ownQueue = {
  perInstance: true,
  serverNamed: true,
  type: 'classic',
  exclusive: true,
  autoDelete: true,
  durable: false,
  deadLettered: false,
}

const capitalised = (id: string) => id.charAt(0).toUpperCase() + id.slice(1)
const joined = (services: readonly Service[]) => services.map((service) => `the ${service}`).join(' and ')

interface NamedQueue {
  name: string
  type: 'quorum'
  durable: true
  deadLetterQueue: string
}

function channel(topology: Topology, routingKey: RoutingKey, description: string, queue: NamedQueue | typeof ownQueue) {
  const { id, title, summary, payload } = flows[routingKey]
  const message = { name: id, title, summary, contentType: 'application/json', payload }
  const exchange = { name: topology.exchange, type: 'topic', durable: true, autoDelete: false }
  // The AMQP binding has no field for the queue bound to a routing key (nor its type): an extension carries it.
  const amqp = { is: 'routingKey', exchange, 'x-queue': queue, bindingVersion: AMQP_BINDING_VERSION }
  return [id, { address: routingKey, title, description, messages: { [id]: message }, bindings: { amqp } }] as const
}

function channelFor(topology: Topology, { queue, routingKey }: QueueBinding) {
  const { sender, receivers } = flows[routingKey]
  const description = `Sent by the ${sender} to the \`${topology.exchange}\` exchange; ${joined(receivers)} consumes it from \`${queue}\`.`
  return channel(topology, routingKey, description, { name: queue, type: 'quorum', durable: true, deadLetterQueue: deadLetterQueueFor(queue) })
}

function broadcastChannelFor(topology: Topology, routingKey: RoutingKey) {
  const { sender, receivers } = flows[routingKey]
  const description =
    `Sent by the ${sender} to the \`${topology.exchange}\` exchange; every instance of ${joined(receivers)} receives it on a ` +
    'queue of its own, named by the broker and deleted with its connection. An instance gets no message published while it ' +
    'is not subscribed (it reloads instead), and one it cannot handle is dropped, not dead-lettered.'
  return channel(topology, routingKey, description, ownQueue)
}

function operationsFor(routingKey: RoutingKey) {
  const { id, summary, sender, receivers } = flows[routingKey]
  const operation = (action: 'send' | 'receive', service: Service, amqp: Record<string, number | boolean>) => {
    const name = `${service}${action === 'send' ? 'Sends' : 'Receives'}${capitalised(id)}`
    const target = { channel: { $ref: `#/channels/${id}` }, messages: [{ $ref: `#/channels/${id}/messages/${id}` }] }
    const bindings = { amqp: { ...amqp, bindingVersion: AMQP_BINDING_VERSION } }
    return [name, { action, ...target, summary, tags: [{ name: service }], bindings }] as const
  }
  // Publishes are persistent and mandatory (an unroutable message is an error); consumers ack after the work.
  return [operation('send', sender, { deliveryMode: 2, mandatory: true }), ...receivers.map((receiver) => operation('receive', receiver, { ack: true }))]
}

/**
 * The message contract as AsyncAPI 3.0. It describes the whole system rather than one application: each
 * routing key on the topic exchange is a channel (a named queue's, or a broadcast's), and each service's side of it
 * an operation tagged with the service.
 */
export function buildAsyncApiDocument(topology: Topology) {
  // A queue that also takes other keys' messages (the partner events) reads channels described by their own queue.
  const bindings = Object.values(topology.queues).filter(({ alsoBoundTo }) => !alsoBoundTo)
  const partnerEvents = topology.queues.waiterPartnerEvents
  const keys = [...bindings.map(({ routingKey }) => routingKey), ...broadcastKeys]
  const channels = [...bindings.map((binding) => channelFor(topology, binding)), ...broadcastKeys.map((routingKey) => broadcastChannelFor(topology, routingKey))]
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'The restaurant messages',
      version: MESSAGES_VERSION,
      description:
        'Messages between the waiter and the kitchen over RabbitMQ. Every message is JSON, persistent, and carries ' +
        'the originating request id as `correlationId`. A message on a named queue that keeps failing is dead-lettered ' +
        `through \`${topology.deadLetterExchange}\` to its queue's \`.dead\` queue; a broadcast that fails is dropped. ` +
        `The waiter also reads ${routingKeysOf(partnerEvents).map((key) => `\`${key}\``).join(', ')} on \`${partnerEvents.queue}\`, ` +
        'a quorum queue of its own, to tell partners (webhooks and the event feed).',
    },
    defaultContentType: 'application/json',
    channels: Object.fromEntries(channels),
    operations: Object.fromEntries(keys.flatMap(operationsFor)),
  }
}

export type AsyncApiDocument = ReturnType<typeof buildAsyncApiDocument>
