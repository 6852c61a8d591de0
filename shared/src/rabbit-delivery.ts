import { setTimeout as sleep } from 'node:timers/promises'
import type { Channel, ConsumeMessage } from 'amqplib'
import type { Logger } from 'pino'
import type { Compile } from 'typebox/compile'
import { HandBackError } from './errors.js'
import { retryQueueFor } from './rabbit-topology.js'
import type { BusMetrics } from './metrics.js'
import type { Publisher } from './rabbit-publisher.js'
import { inSpan, SpanKind, traceContextOf } from './tracing.js'

export interface MessageContext {
  correlationId: string
  /** True when the broker delivers this message again because an earlier delivery was not acked. */
  redelivered: boolean
  /** How many retry tiers this message has been through. */
  retries: number
  log: Logger
}

export type MessageHandler<T> = (message: T, context: MessageContext) => Promise<void>

export interface ConsumerSpec<T> {
  queue: string
  check: ReturnType<typeof Compile>
  handler: MessageHandler<T>
  /** Called once when a message has failed through every retry tier, before it is dead-lettered. */
  onGiveUp?: (message: T, context: MessageContext, err: unknown) => Promise<void>
}

const RETRIES_HEADER = 'x-retries'
const PARK_FAILURE_PAUSE_MS = 1_000

/**
 * Message semantics live here: a malformed message is dead-lettered at once; a handled one is acked only
 * after its handler resolved; a failing one is parked in the next retry tier (a confirmed publish, then
 * the ack) and, past the last tier, dead-lettered. Nothing is requeued in a tight loop.
 */
export function createDelivery<T>(
  spec: ConsumerSpec<T>,
  retryDelaysMs: readonly number[],
  publisher: () => Publisher | undefined,
  log: Logger,
  metrics?: BusMetrics,
) {
  const counted = (outcome: string) => metrics?.deliveries.inc({ queue: spec.queue, outcome })

  /** Each delivery is handled in a span that continues the trace the message was published in. */
  return function deliver(channel: Channel, raw: ConsumeMessage): Promise<void> {
    const attributes = { 'messaging.system': 'rabbitmq', 'messaging.destination.name': spec.queue, 'messaging.message.id': String(raw.properties.messageId) }
    return inSpan(`process ${spec.queue}`, { kind: SpanKind.CONSUMER, attributes, parent: traceContextOf(raw.properties.headers) }, () => handle(channel, raw))
  }

  async function handle(channel: Channel, raw: ConsumeMessage): Promise<void> {
    const correlationId = String(raw.properties.correlationId ?? raw.properties.messageId ?? 'none')
    const retries = Number(raw.properties.headers?.[RETRIES_HEADER] ?? 0)
    const context = { correlationId, redelivered: raw.fields.redelivered, retries, log: log.child({ reqId: correlationId, queue: spec.queue }) }
    if (raw.fields.redelivered) metrics?.redeliveries.inc({ queue: spec.queue })
    const message = parse(raw.content, spec.check)
    if (message === undefined) {
      context.log.error({ bytes: raw.content.length }, 'malformed message dead-lettered')
      counted('malformed')
      return settle(() => channel.nack(raw, false, false), context.log)
    }
    try {
      await spec.handler(message as T, context)
      counted('acked')
      settle(() => channel.ack(raw), context.log)
    } catch (err) {
      if (err instanceof HandBackError) {
        context.log.info({ reason: err.message }, 'message handed back to the queue')
        counted('handed_back')
        return settle(() => channel.nack(raw, false, true), context.log)
      }
      const delayMs = retryDelaysMs[retries]
      if (delayMs === undefined) return giveUp(channel, raw, message as T, context, err)
      await park(channel, raw, delayMs, context, err)
    }
  }

  async function park(channel: Channel, raw: ConsumeMessage, delayMs: number, context: MessageContext, err: unknown) {
    try {
      const target = publisher()
      if (!target) throw new Error('no connection to park the message on')
      const headers = { ...raw.properties.headers, [RETRIES_HEADER]: context.retries + 1 }
      await target.publish('', retryQueueFor(spec.queue, delayMs), raw.content, { ...raw.properties, headers })
      context.log.warn({ err, retries: context.retries + 1, delayMs }, 'message handling failed; retrying later')
      counted('retried')
      settle(() => channel.ack(raw), context.log)
    } catch (parkErr) {
      context.log.error({ err, parkErr }, 'message handling failed and could not be parked; requeued after a pause')
      // The pause keeps this from looping hot; the queue's delivery limit bounds how often it can happen.
      await sleep(PARK_FAILURE_PAUSE_MS)
      counted('requeued')
      settle(() => channel.nack(raw, false, true), context.log)
    }
  }

  async function giveUp(channel: Channel, raw: ConsumeMessage, message: T, context: MessageContext, err: unknown) {
    context.log.error({ err, retries: context.retries }, 'message failed through every retry; dead-lettered')
    await spec.onGiveUp?.(message, context, err).catch((giveUpErr: unknown) => context.log.error({ err: giveUpErr }, 'could not report the failure'))
    counted('dead_lettered')
    settle(() => channel.nack(raw, false, false), context.log)
  }
}

function parse(content: Buffer, check: ReturnType<typeof Compile>): unknown {
  try {
    const value: unknown = JSON.parse(content.toString('utf8'))
    return check.Check(value) ? value : undefined
  } catch {
    return undefined
  }
}

/** An ack on a channel that has since closed cannot be delivered; the broker redelivers the message. */
function settle(action: () => void, log: Logger): void {
  try {
    action()
  } catch (err) {
    log.warn({ err }, 'could not settle the delivery; the broker will redeliver it')
  }
}
