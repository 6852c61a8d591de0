import type { Logger } from 'pino'
import type { Compile } from 'typebox/compile'
import { HandBackError, mustWait, SetAsideError } from '../runtime/errors.js'
import type { BusMetrics } from '../runtime/metrics.js'
import { inSpan, SpanKind, traceContextOf } from '../runtime/tracing.js'
import type { ConsumeOptions, MessageContext, MessageHandler } from './bus.js'
import { retryQueueFor, setAsideQueueFor, type QueuePolicy } from './queue-policy.js'
import { realTimer, type Timer } from './timer.js'
import { waitingOutOutages } from './waiting-out-outages.js'

export interface ConsumerSpec<T> extends ConsumeOptions<T> {
  queue: string
  check: ReturnType<typeof Compile>
  handler: MessageHandler<T>
}

export interface DeliveryPolicy extends Pick<QueuePolicy, 'retryDelaysMs' | 'setAsideMs'> {
  /** Longest a delivery is held while a dependency is away before it is set aside; well under consumer_timeout. */
  maxHoldMs: number
}

/** One delivery as the message semantics see it, whichever broker carried it. */
export interface Inbound {
  content: Buffer
  headers: Record<string, unknown>
  correlationId: string | undefined
  messageId: string | undefined
  /** The broker gave it before and it came back unsettled. */
  redelivered: boolean
  ack(): void
  /** Rejected without requeue: its queue dead-letters it. */
  reject(): void
  requeue(): void
  /** A confirmed copy onto `queue`, with `headers` in place of its own. */
  park(queue: string, headers: Record<string, unknown>): Promise<void>
}

export interface DeliveryDeps {
  log: Logger
  /** The broker's name in spans (`messaging.system`). */
  system: string
  metrics?: BusMetrics
  timer?: Timer
}

export type Signals = Pick<MessageContext, 'signal' | 'channelClosed'>

const RETRIES_HEADER = 'x-retries'
const SET_ASIDE_HEADER = 'x-set-aside'
/** Set by the dead-letter replay: the message failed before, and its work may be half done. */
export const REPLAYED_HEADER = 'x-replayed'
const PARK_FAILURE_PAUSE_MS = 1_000

/**
 * Message semantics live here. A malformed message is dead-lettered at once; a handled one is acked only
 * after its handler resolved. Waiting is not failing: a handler that needs a dependency that is away runs
 * again, with backoff, for as long as the delivery may be held, and is then set aside on its queue's
 * set-aside queue to come back later, spending none of its retries; so is a message its handler sets aside.
 * A message that fails on its own is parked in the next retry tier (a confirmed publish, then the ack) and,
 * past the last tier, dead-lettered. Nothing is requeued in a tight loop.
 */
export function createDelivery<T>(spec: ConsumerSpec<T>, policy: DeliveryPolicy, { log, system, metrics, timer = realTimer }: DeliveryDeps) {
  const counted = (outcome: string) => metrics?.deliveries.inc({ queue: spec.queue, outcome })
  const waiting = { queue: spec.queue, maxHoldMs: policy.maxHoldMs, timer, metrics }

  /** Each delivery is handled in a span that continues the trace the message was published in. */
  return function deliver(inbound: Inbound, signals: Signals): Promise<void> {
    const attributes = { 'messaging.system': system, 'messaging.destination.name': spec.queue, 'messaging.message.id': String(inbound.messageId) }
    return inSpan(`process ${spec.queue}`, { kind: SpanKind.CONSUMER, attributes, parent: traceContextOf(inbound.headers) }, () => handle(inbound, signals))
  }

  async function handle(inbound: Inbound, { signal, channelClosed }: Signals): Promise<void> {
    const { headers } = inbound
    const correlationId = inbound.correlationId ?? inbound.messageId ?? 'none'
    const retries = Number(headers[RETRIES_HEADER] ?? 0)
    const resumes = inbound.redelivered || retries > 0 || SET_ASIDE_HEADER in headers || REPLAYED_HEADER in headers
    const context = { correlationId, resumes, signal, channelClosed, log: log.child({ reqId: correlationId, queue: spec.queue }) }
    if (inbound.redelivered) metrics?.redeliveries.inc({ queue: spec.queue })
    const message = parse(inbound.content, spec.check)
    if (message === undefined) {
      context.log.error({ bytes: inbound.content.length }, 'malformed message dead-lettered')
      counted('malformed')
      return settle(() => inbound.reject(), context.log)
    }
    try {
      await waitingOutOutages((attempt) => spec.handler(message as T, attempt), context, waiting)
      counted('acked')
      settle(() => inbound.ack(), context.log)
    } catch (err) {
      if (err instanceof HandBackError || signal.aborted) return handBack(inbound, context, err)
      if (err instanceof SetAsideError || mustWait(err)) return setAside(inbound, context, err)
      const delayMs = policy.retryDelaysMs[retries]
      if (delayMs === undefined) return giveUp(inbound, message as T, context, err)
      if (await park(inbound, retryQueueFor(spec.queue, delayMs), { ...headers, [RETRIES_HEADER]: retries + 1 }, context, err)) {
        context.log.warn({ err, retries: retries + 1, delayMs }, 'message handling failed; retrying later')
        counted('retried')
        settle(() => inbound.ack(), context.log)
      } else await requeueAfterPause(inbound, context)
    }
  }

  async function setAside(inbound: Inbound, context: MessageContext, reason: unknown) {
    const headers = { ...inbound.headers, [SET_ASIDE_HEADER]: Number(inbound.headers[SET_ASIDE_HEADER] ?? 0) + 1 }
    if (!(await park(inbound, setAsideQueueFor(spec.queue, policy.setAsideMs), headers, context, reason))) return requeueAfterPause(inbound, context)
    context.log.info({ reason: reason instanceof Error ? reason.message : String(reason), comesBackInMs: policy.setAsideMs }, 'message set aside to come back later')
    counted('set_aside')
    settle(() => inbound.ack(), context.log)
  }

  /** Publishes a confirmed copy onto `queue` with `headers`; false when that failed (logged). */
  async function park(inbound: Inbound, queue: string, headers: Record<string, unknown>, context: MessageContext, err: unknown): Promise<boolean> {
    try {
      await inbound.park(queue, headers)
      return true
    } catch (parkErr) {
      context.log.error({ err, parkErr, queue }, 'message could not be parked; requeued after a pause')
      return false
    }
  }

  // The pause keeps this from looping hot; the queue's delivery limit bounds how often it can happen.
  async function requeueAfterPause(inbound: Inbound, context: MessageContext) {
    await timer.sleep(PARK_FAILURE_PAUSE_MS)
    counted('requeued')
    settle(() => inbound.requeue(), context.log)
  }

  function handBack(inbound: Inbound, context: MessageContext, err: unknown) {
    context.log.info({ reason: err instanceof Error ? err.message : String(err) }, 'message handed back to the queue')
    counted('handed_back')
    settle(() => inbound.requeue(), context.log)
  }

  /** Past its last retry the failure is reported (waiting out outages like any work), then the message is dead-lettered. */
  async function giveUp(inbound: Inbound, message: T, context: MessageContext, err: unknown) {
    try {
      await waitingOutOutages((attempt) => spec.onGiveUp?.(message, { ...attempt, resumes: true }, err) ?? Promise.resolve(), context, waiting)
    } catch (reportErr) {
      if (context.signal.aborted) return handBack(inbound, context, reportErr)
      if (mustWait(reportErr)) return setAside(inbound, context, reportErr)
      context.log.error({ err: reportErr }, 'could not report the failure')
    }
    context.log.error({ err, retries: policy.retryDelaysMs.length }, 'message failed through every retry; dead-lettered')
    counted('dead_lettered')
    settle(() => inbound.reject(), context.log)
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
