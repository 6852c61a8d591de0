import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib'
import { BrokerUnavailableError, UnroutableMessageError } from '../runtime/errors.js'

export interface Publisher {
  /** Resolves once the broker confirmed the message onto a queue; rejects on nack, return or timeout. */
  publish(exchange: string, routingKey: string, content: Buffer, properties: Options.Publish): Promise<void>
  pending(): number
  /** Rejects every publish still waiting for its confirm: the channel they were sent on is gone. */
  failPending(reason: string): void
}

/** One confirm channel's publishes in progress; changed only by the functions below. */
interface Publishing {
  channel: ConfirmChannel
  confirmTimeoutMs: number
  /** Message ids the broker returned: no queue took them. */
  unroutable: Set<string>
  /** How to settle each publish waiting for its confirm, by message id. */
  waiting: Map<string, (err: Error) => void>
  // A closed channel never emits 'drain': publishes waiting for it must go on, and fail, when it closes.
  closed: Promise<void>
  /** Resolves once the channel takes messages again, or has closed. */
  drained: Promise<unknown>
  awaitingDrain: boolean
  // Counted from the call, not from the send: publishes queued behind 'drain' are outstanding too.
  inProgress: number
}

/**
 * Publishes on one confirm channel with many confirms outstanding at once. Every message is persistent
 * and mandatory: a message no queue takes comes back (basic.return, before its confirm) and is an error.
 */
export function createPublisher(channel: ConfirmChannel, confirmTimeoutMs: number): Publisher {
  const closed = new Promise<void>((resolve) => channel.once('close', () => resolve()))
  const publishing: Publishing = { channel, confirmTimeoutMs, unroutable: new Set(), waiting: new Map(), closed, drained: Promise.resolve(), awaitingDrain: false, inProgress: 0 }
  channel.on('return', (message: ConsumeMessage) => publishing.unroutable.add(String(message.properties.messageId)))
  return {
    async publish(exchange, routingKey, content, properties) {
      publishing.inProgress += 1
      try {
        await send(publishing, { exchange, routingKey, content, properties })
      } finally {
        publishing.inProgress -= 1
      }
    },
    pending: () => publishing.inProgress,
    failPending(reason) {
      for (const settle of [...publishing.waiting.values()]) settle(new BrokerUnavailableError(reason))
    },
  }
}

interface Outgoing {
  exchange: string
  routingKey: string
  content: Buffer
  properties: Options.Publish
}

async function send(publishing: Publishing, { exchange, routingKey, content, properties }: Outgoing): Promise<void> {
  await publishing.drained
  const messageId = String(properties.messageId ?? randomUUID())
  await new Promise<void>((resolve, reject) => {
    const settle = awaitConfirm(publishing, messageId, routingKey, { resolve, reject })
    try {
      const options = { ...properties, messageId, persistent: true, mandatory: true }
      const accepted = publishing.channel.publish(exchange, routingKey, content, options, (err) => settle(err))
      if (!accepted && !publishing.awaitingDrain) {
        publishing.awaitingDrain = true
        publishing.drained = Promise.race([once(publishing.channel, 'drain'), publishing.closed])
          .catch(() => undefined)
          .finally(() => (publishing.awaitingDrain = false))
      }
    } catch {
      settle(new BrokerUnavailableError('the channel is closed'))
    }
  })
}

/** How to settle one publish: by its confirm, its return, a lost channel or the confirm timeout, whichever comes first. */
function awaitConfirm(publishing: Publishing, messageId: string, routingKey: string, { resolve, reject }: { resolve: () => void; reject: (err: Error) => void }) {
  const settle = (err: Error | null | undefined) => {
    clearTimeout(timer)
    publishing.waiting.delete(messageId)
    const returned = publishing.unroutable.delete(messageId)
    if (err) reject(err instanceof BrokerUnavailableError ? err : new BrokerUnavailableError('the broker refused the message'))
    else if (returned) reject(new UnroutableMessageError(routingKey))
    else resolve()
  }
  const timer = setTimeout(() => settle(new BrokerUnavailableError('no publisher confirm in time')), publishing.confirmTimeoutMs)
  publishing.waiting.set(messageId, settle)
  return settle
}
