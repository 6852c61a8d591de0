import { setTimeout as sleep } from 'node:timers/promises'
import type { Channel, ConsumeMessage } from 'amqplib'
import type { Logger } from 'pino'
import type { Compile } from 'typebox/compile'
import { HandBackError, mustWait, retryAfterOf, SetAsideError } from '../runtime/errors.js'
import { retryQueueFor, setAsideQueueFor, type QueuePolicy } from './rabbit-topology.js'
import type { BusMetrics } from '../runtime/metrics.js'
import type { Publisher } from './rabbit-publisher.js'
import { inSpan, SpanKind, traceContextOf } from '../runtime/tracing.js'

export interface MessageContext {
  correlationId: string
  /**
   * True when the message may have been handled before: a redelivery, a retry, a replayed dead letter, a
   * message back from being set aside, or another attempt once a dependency came back. The handler then
   * resumes from what it stored rather than take the message for a new one.
   */
  resumes: boolean
  /** Aborted when the delivery can no longer be settled (its channel closed) or the consumer is draining. */
  signal: AbortSignal
  /**
   * Aborted only when the delivery's channel closed: it can no longer be settled and the broker gives the
   * message to another consumer. Work in hand that a drain lets finish stops at this one.
   */
  channelClosed: AbortSignal
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

export interface DeliveryPolicy extends Pick<QueuePolicy, 'retryDelaysMs' | 'setAsideMs'> {
  /** Longest a delivery is held while a dependency is away before it is set aside; well under consumer_timeout. */
  maxHoldMs: number
}

const RETRIES_HEADER = 'x-retries'
const SET_ASIDE_HEADER = 'x-set-aside'
/** Set by the dead-letter replay: the message failed before, and its work may be half done. */
export const REPLAYED_HEADER = 'x-replayed'
const PARK_FAILURE_PAUSE_MS = 1_000
const MIN_PAUSE_MS = 250
const MAX_PAUSE_MS = 5_000

/**
 * Message semantics live here. A malformed message is dead-lettered at once; a handled one is acked only
 * after its handler resolved. Waiting is not failing: a handler that needs a dependency that is away runs
 * again, with backoff, for as long as the delivery may be held, and is then set aside on its queue's
 * set-aside queue to come back later, spending none of its retries; so is a message its handler sets aside.
 * A message that fails on its own is parked in the next retry tier (a confirmed publish, then the ack) and,
 * past the last tier, dead-lettered. Nothing is requeued in a tight loop.
 */
export function createDelivery<T>(spec: ConsumerSpec<T>, policy: DeliveryPolicy, publisher: () => Publisher | undefined, log: Logger, metrics?: BusMetrics) {
  const counted = (outcome: string) => metrics?.deliveries.inc({ queue: spec.queue, outcome })

  /** Each delivery is handled in a span that continues the trace the message was published in. */
  return function deliver(channel: Channel, raw: ConsumeMessage, signals: Pick<MessageContext, 'signal' | 'channelClosed'>): Promise<void> {
    const attributes = { 'messaging.system': 'rabbitmq', 'messaging.destination.name': spec.queue, 'messaging.message.id': String(raw.properties.messageId) }
    return inSpan(`process ${spec.queue}`, { kind: SpanKind.CONSUMER, attributes, parent: traceContextOf(raw.properties.headers) }, () => handle(channel, raw, signals))
  }

  async function handle(channel: Channel, raw: ConsumeMessage, { signal, channelClosed }: Pick<MessageContext, 'signal' | 'channelClosed'>): Promise<void> {
    const headers = raw.properties.headers ?? {}
    const correlationId = String(raw.properties.correlationId ?? raw.properties.messageId ?? 'none')
    const retries = Number(headers[RETRIES_HEADER] ?? 0)
    const resumes = raw.fields.redelivered || retries > 0 || SET_ASIDE_HEADER in headers || REPLAYED_HEADER in headers
    const context = { correlationId, resumes, signal, channelClosed, log: log.child({ reqId: correlationId, queue: spec.queue }) }
    if (raw.fields.redelivered) metrics?.redeliveries.inc({ queue: spec.queue })
    const message = parse(raw.content, spec.check)
    if (message === undefined) {
      context.log.error({ bytes: raw.content.length }, 'malformed message dead-lettered')
      counted('malformed')
      return settle(() => channel.nack(raw, false, false), context.log)
    }
    try {
      await waitingOutOutages((attempt) => spec.handler(message as T, attempt), context)
      counted('acked')
      settle(() => channel.ack(raw), context.log)
    } catch (err) {
      if (err instanceof HandBackError || signal.aborted) return handBack(channel, raw, context, err)
      if (err instanceof SetAsideError || mustWait(err)) return setAside(channel, raw, context, err)
      const delayMs = policy.retryDelaysMs[retries]
      if (delayMs === undefined) return giveUp(channel, raw, message as T, context, err)
      const retry = { queue: retryQueueFor(spec.queue, delayMs), headers: { ...headers, [RETRIES_HEADER]: retries + 1 } }
      if (await park(raw, retry, context, err)) {
        context.log.warn({ err, retries: retries + 1, delayMs }, 'message handling failed; retrying later')
        counted('retried')
        settle(() => channel.ack(raw), context.log)
      } else await requeueAfterPause(channel, raw, context)
    }
  }

  /**
   * Runs the work again, with backoff, while it must only wait (a dependency is away, or another holds the
   * work), for as long as the delivery may be held; every run after the first resumes. An error that says
   * when to try again shortens the pause. Logged once when the wait starts and once when it ends.
   * (Not p-retry: its signal also fails a run that succeeded meanwhile, and a handled message is acked.)
   */
  async function waitingOutOutages(work: (context: MessageContext) => Promise<void>, context: MessageContext): Promise<void> {
    const deadline = Date.now() + policy.maxHoldMs
    let waitingSince: number | undefined
    try {
      for (let attempt = 1, pauseMs = MIN_PAUSE_MS; ; attempt++, pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS)) {
        try {
          return await work(attempt === 1 ? context : { ...context, resumes: true })
        } catch (err) {
          // Between half the pause and all of it, so that the deliveries waiting for one dependency spread out.
          const jittered = Math.min(pauseMs, retryAfterOf(err) ?? Infinity) * (0.5 + Math.random() / 2)
          if (!mustWait(err) || context.signal.aborted || Date.now() + jittered > deadline) throw err
          if (waitingSince === undefined) {
            waitingSince = Date.now()
            metrics?.waiting.inc({ queue: spec.queue })
            context.log.warn({ err }, 'waiting before handling the message again')
          }
          await sleep(jittered, undefined, { signal: context.signal }).catch(() => Promise.reject(err))
        }
      }
    } finally {
      if (waitingSince !== undefined) {
        metrics?.waiting.dec({ queue: spec.queue })
        context.log.info({ waitedMs: Date.now() - waitingSince }, 'stopped waiting')
      }
    }
  }

  async function setAside(channel: Channel, raw: ConsumeMessage, context: MessageContext, reason: unknown) {
    const headers = raw.properties.headers ?? {}
    const target = { queue: setAsideQueueFor(spec.queue, policy.setAsideMs), headers: { ...headers, [SET_ASIDE_HEADER]: Number(headers[SET_ASIDE_HEADER] ?? 0) + 1 } }
    if (!(await park(raw, target, context, reason))) return requeueAfterPause(channel, raw, context)
    context.log.info({ reason: reason instanceof Error ? reason.message : String(reason), comesBackInMs: policy.setAsideMs }, 'message set aside to come back later')
    counted('set_aside')
    settle(() => channel.ack(raw), context.log)
  }

  /** Publishes a copy onto `target.queue` with `target.headers`, confirmed; false when that failed (logged). */
  async function park(raw: ConsumeMessage, target: { queue: string; headers: Record<string, unknown> }, context: MessageContext, err: unknown): Promise<boolean> {
    try {
      const channel = publisher()
      if (!channel) throw new Error('no connection to park the message on')
      await channel.publish('', target.queue, raw.content, { ...raw.properties, headers: target.headers })
      return true
    } catch (parkErr) {
      context.log.error({ err, parkErr, queue: target.queue }, 'message could not be parked; requeued after a pause')
      return false
    }
  }

  // The pause keeps this from looping hot; the queue's delivery limit bounds how often it can happen.
  async function requeueAfterPause(channel: Channel, raw: ConsumeMessage, context: MessageContext) {
    await sleep(PARK_FAILURE_PAUSE_MS)
    counted('requeued')
    settle(() => channel.nack(raw, false, true), context.log)
  }

  function handBack(channel: Channel, raw: ConsumeMessage, context: MessageContext, err: unknown) {
    context.log.info({ reason: err instanceof Error ? err.message : String(err) }, 'message handed back to the queue')
    counted('handed_back')
    settle(() => channel.nack(raw, false, true), context.log)
  }

  /** Past its last retry the failure is reported (waiting out outages like any work), then the message is dead-lettered. */
  async function giveUp(channel: Channel, raw: ConsumeMessage, message: T, context: MessageContext, err: unknown) {
    try {
      await waitingOutOutages((attempt) => spec.onGiveUp?.(message, { ...attempt, resumes: true }, err) ?? Promise.resolve(), context)
    } catch (reportErr) {
      if (context.signal.aborted) return handBack(channel, raw, context, reportErr)
      if (mustWait(reportErr)) return setAside(channel, raw, context, reportErr)
      context.log.error({ err: reportErr }, 'could not report the failure')
    }
    context.log.error({ err, retries: policy.retryDelaysMs.length }, 'message failed through every retry; dead-lettered')
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
