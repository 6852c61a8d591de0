import type { Channel, ConsumeMessage } from 'amqplib'
import type { Inbound } from './delivery.js'
import type { Publisher } from './rabbit-publisher.js'

export type { MessageContext, MessageHandler } from './bus.js'

/**
 * An AMQP delivery as the message semantics (delivery.ts) see it. It is settled on the channel it came on;
 * parked copies go out on the publisher of the connection current at the time, none while there is none.
 */
export function inboundFrom(channel: Channel, raw: ConsumeMessage, publisher: () => Publisher | undefined): Inbound {
  const { correlationId, messageId, headers } = raw.properties
  return {
    content: raw.content,
    headers: headers ?? {},
    correlationId: correlationId === undefined ? undefined : String(correlationId),
    messageId: messageId === undefined ? undefined : String(messageId),
    redelivered: raw.fields.redelivered,
    ack: () => channel.ack(raw),
    reject: () => channel.nack(raw, false, false),
    requeue: () => channel.nack(raw, false, true),
    async park(queue, parkedHeaders) {
      const current = publisher()
      if (!current) throw new Error('no connection to park the message on')
      await current.publish('', queue, raw.content, { ...raw.properties, headers: parkedHeaders })
    },
  }
}
