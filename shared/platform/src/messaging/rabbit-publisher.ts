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

/**
 * Publishes on one confirm channel with many confirms outstanding at once. Every message is persistent
 * and mandatory: a message no queue takes comes back (basic.return, before its confirm) and is an error.
 */
export function createPublisher(channel: ConfirmChannel, confirmTimeoutMs: number): Publisher {
  const unroutable = new Set<string>()
  const waiting = new Map<string, (err: Error) => void>()
  channel.on('return', (message: ConsumeMessage) => unroutable.add(String(message.properties.messageId)))
  // A closed channel never emits 'drain': publishes waiting for it must go on, and fail, when it closes.
  const closed = new Promise<void>((resolve) => channel.once('close', () => resolve()))
  let drained: Promise<unknown> = Promise.resolve()
  let awaitingDrain = false
  // Counted from the call, not from the send: publishes queued behind 'drain' are outstanding too.
  let inProgress = 0

  async function publish(exchange: string, routingKey: string, content: Buffer, properties: Options.Publish) {
    inProgress += 1
    try {
      await send(exchange, routingKey, content, properties)
    } finally {
      inProgress -= 1
    }
  }

  async function send(exchange: string, routingKey: string, content: Buffer, properties: Options.Publish) {
    await drained
    const messageId = String(properties.messageId ?? randomUUID())
    await new Promise<void>((resolve, reject) => {
      const settle = (err: Error | null | undefined) => {
        clearTimeout(timer)
        waiting.delete(messageId)
        const returned = unroutable.delete(messageId)
        if (err) reject(err instanceof BrokerUnavailableError ? err : new BrokerUnavailableError('the broker refused the message'))
        else if (returned) reject(new UnroutableMessageError(routingKey))
        else resolve()
      }
      const timer = setTimeout(() => settle(new BrokerUnavailableError('no publisher confirm in time')), confirmTimeoutMs)
      waiting.set(messageId, settle)
      try {
        const options = { ...properties, messageId, persistent: true, mandatory: true }
        const accepted = channel.publish(exchange, routingKey, content, options, (err) => settle(err))
        if (!accepted && !awaitingDrain) {
          awaitingDrain = true
          drained = Promise.race([once(channel, 'drain'), closed])
            .catch(() => undefined)
            .finally(() => (awaitingDrain = false))
        }
      } catch {
        settle(new BrokerUnavailableError('the channel is closed'))
      }
    })
  }

  return {
    publish,
    pending: () => inProgress,
    failPending(reason) {
      for (const settle of [...waiting.values()]) settle(new BrokerUnavailableError(reason))
    },
  }
}
