import type { Channel, Message } from 'amqplib'

/**
 * The acks of one channel's deliveries, sent once per turn of the event loop. The deliveries acked from the oldest
 * one still open up go in one ack with `multiple`; those acked above one still open go one by one. A quorum queue
 * settles every ack frame as an entry in its log, so one frame for a run of deliveries spares the broker most of that
 * work. Rejects and requeues go out at once, and close their delivery for the next run. An ack asked for once the
 * channel is `closed` throws, as amqplib's own does, for its caller to log; a flush that could not be sent (the
 * channel closed within the turn) is passed to `unsent`. The broker redelivers those messages.
 */
export function createAckBatcher(channel: Pick<Channel, 'ack'>, closed: AbortSignal, unsent: (deliveries: number, err: unknown) => void) {
  // Delivery tags grow on a channel, and a Set keeps the order they were added in: oldest first.
  const open = new Set<number>()
  const acked = new Map<number, Message>()
  const flush = () => {
    const waiting = acked.size
    try {
      sendAcks(channel, open, acked)
    } catch (err) {
      unsent(waiting, err)
    }
    acked.clear()
  }
  return {
    delivered: (message: Message) => void open.add(message.fields.deliveryTag),
    ack(message: Message) {
      closed.throwIfAborted()
      if (acked.set(message.fields.deliveryTag, message).size === 1) setImmediate(flush)
    },
    /** A delivery settled otherwise (rejected, requeued): no longer open. */
    settled: (message: Message) => void open.delete(message.fields.deliveryTag),
    /** Sends what is waiting now, before the channel closes. */
    flush() {
      if (acked.size > 0) flush()
    },
  }
}
export type AckBatcher = ReturnType<typeof createAckBatcher>

function sendAcks(channel: Pick<Channel, 'ack'>, open: Set<number>, acked: Map<number, Message>): void {
  let last: Message | undefined
  for (const tag of open) {
    const message = acked.get(tag)
    if (!message) break
    last = message
    open.delete(tag)
    acked.delete(tag)
  }
  if (last) channel.ack(last, true)
  for (const [tag, message] of acked) {
    open.delete(tag)
    channel.ack(message)
  }
}
