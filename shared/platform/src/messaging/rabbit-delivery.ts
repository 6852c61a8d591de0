import type { Channel, ConsumeMessage } from 'amqplib'
import type { AckBatcher } from './ack-batcher.js'
import type { Inbound } from './delivery.js'
import type { Publisher } from './rabbit-publisher.js'

export type { MessageContext, MessageHandler } from './bus.js'

/**
 * An AMQP delivery as the message semantics (delivery.ts) see it. It is settled on the channel it came on, its ack
 * batched with others (`acks`); parked copies go out on the publisher of the connection current at the time, none
 * while there is none.
 */
export function inboundFrom(channel: Channel, acks: AckBatcher, raw: ConsumeMessage, publisher: () => Publisher | undefined): Inbound {
  acks.delivered(raw)
  const settledNow = (requeue: boolean) => {
    channel.nack(raw, false, requeue)
    acks.settled(raw)
  }
  const { correlationId, messageId, headers } = raw.properties
  return {
    content: raw.content,
    headers: headers ?? {},
    correlationId: correlationId === undefined ? undefined : String(correlationId),
    messageId: messageId === undefined ? undefined : String(messageId),
    redelivered: raw.fields.redelivered,
    ack: () => acks.ack(raw),
    reject: () => settledNow(false),
    requeue: () => settledNow(true),
    async park(queue, parkedHeaders) {
      const current = publisher()
      if (!current) throw new Error('no connection to park the message on')
      await current.publish('', queue, raw.content, { ...raw.properties, headers: parkedHeaders })
    },
  }
}
