import type { TSchema } from 'typebox'
import {
  CancelOrderMessage,
  deadLetterQueueFor,
  MenuChangedMessage,
  OrderPlacedMessage,
  OrderStatusChangedMessage,
  routingKeys,
  type QueueBinding,
  type RoutingKey,
  type Topology,
} from './messages.js'

export const MESSAGES_VERSION = '1.0.0'
const AMQP_BINDING_VERSION = '0.3.0'

type Service = 'waiter' | 'kitchen'

interface Flow {
  /** Names the channel, its message and (capitalised) its operations. */
  id: string
  title: string
  summary: string
  payload: TSchema
  sender: Service
  receiver: Service
}

const flows: Record<RoutingKey, Flow> = {
  [routingKeys.orderPlaced]: {
    id: 'orderPlaced',
    title: 'Order placed',
    summary: 'The waiter took an order; the kitchen must cook it exactly once.',
    payload: OrderPlacedMessage,
    sender: 'waiter',
    receiver: 'kitchen',
  },
  [routingKeys.cancelOrder]: {
    id: 'cancelOrder',
    title: 'Cancel order',
    summary: 'A customer asked to cancel; carries the order as the waiter knows it.',
    payload: CancelOrderMessage,
    sender: 'waiter',
    receiver: 'kitchen',
  },
  [routingKeys.orderStatusChanged]: {
    id: 'orderStatusChanged',
    title: 'Order status changed',
    summary: "The kitchen's record of the order after a transition (event-carried state).",
    payload: OrderStatusChangedMessage,
    sender: 'kitchen',
    receiver: 'waiter',
  },
  [routingKeys.menuChanged]: {
    id: 'menuChanged',
    title: 'Menu changed',
    summary: 'The kitchen, which owns the menu, stored a new state of an item; every copy of the menu follows it.',
    payload: MenuChangedMessage,
    sender: 'kitchen',
    receiver: 'waiter',
  },
}

const capitalised = (id: string) => id.charAt(0).toUpperCase() + id.slice(1)

function channelFor(topology: Topology, { queue, routingKey }: QueueBinding) {
  const { id, title, summary, payload, sender, receiver } = flows[routingKey]
  const description = `Sent by the ${sender} to the \`${topology.exchange}\` exchange; the ${receiver} consumes it from \`${queue}\`.`
  const message = { name: id, title, summary, contentType: 'application/json', payload }
  const exchange = { name: topology.exchange, type: 'topic', durable: true, autoDelete: false }
  // The AMQP binding has no field for the queue bound to a routing key (nor its type): an extension carries it.
  const boundQueue = { name: queue, type: 'quorum', durable: true, deadLetterQueue: deadLetterQueueFor(queue) }
  const amqp = { is: 'routingKey', exchange, 'x-queue': boundQueue, bindingVersion: AMQP_BINDING_VERSION }
  return [id, { address: routingKey, title, description, messages: { [id]: message }, bindings: { amqp } }] as const
}

function operationsFor({ routingKey }: QueueBinding) {
  const { id, summary, sender, receiver } = flows[routingKey]
  const operation = (action: 'send' | 'receive', service: Service, amqp: Record<string, number | boolean>) => {
    const name = `${service}${action === 'send' ? 'Sends' : 'Receives'}${capitalised(id)}`
    const target = { channel: { $ref: `#/channels/${id}` }, messages: [{ $ref: `#/channels/${id}/messages/${id}` }] }
    const bindings = { amqp: { ...amqp, bindingVersion: AMQP_BINDING_VERSION } }
    return [name, { action, ...target, summary, tags: [{ name: service }], bindings }] as const
  }
  // Publishes are persistent and mandatory (an unroutable message is an error); consumers ack after the work.
  return [operation('send', sender, { deliveryMode: 2, mandatory: true }), operation('receive', receiver, { ack: true })]
}

/**
 * The message contract as AsyncAPI 3.0. It describes the whole system rather than one application: each
 * routing key on the topic exchange is a channel, and each service's side of it an operation tagged with
 * the service.
 */
export function buildAsyncApiDocument(topology: Topology) {
  const bindings = Object.values(topology.queues)
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'The restaurant messages',
      version: MESSAGES_VERSION,
      description:
        'Messages between the waiter and the kitchen over RabbitMQ. Every message is JSON, persistent, and carries ' +
        'the originating request id as `correlationId`. A message that keeps failing is dead-lettered through ' +
        `\`${topology.deadLetterExchange}\` to its queue's \`.dead\` queue.`,
    },
    defaultContentType: 'application/json',
    channels: Object.fromEntries(bindings.map((binding) => channelFor(topology, binding))),
    operations: Object.fromEntries(bindings.flatMap(operationsFor)),
  }
}

export type AsyncApiDocument = ReturnType<typeof buildAsyncApiDocument>
