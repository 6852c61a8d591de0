import type { Logger } from 'pino'
import type { Compile } from 'typebox/compile'
import { mustWait } from '../runtime/errors.js'
import type { BusMetrics } from '../runtime/metrics.js'
import { inSpan, SpanKind, traceContextOf } from '../runtime/tracing.js'
import type { ConsumeOptions, MessageContext, MessageHandler } from './bus.js'
import { failureOutcome } from './failure-outcome.js'
import type { QueuePolicy } from './queue-policy.js'
import { acked, deadLettered, handedBack, retried, RETRIES_HEADER, SET_ASIDE_HEADER, setAside, type Settlement } from './settlement.js'
import { realTimer, type Timer } from './timer.js'
import { waitingOutOutages, type Waiting } from './waiting-out-outages.js'

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

/** Set by the dead-letter replay: the message failed before, and its work may be half done. */
export const REPLAYED_HEADER = 'x-replayed'

/** What every delivery to one consumer shares. */
interface Consumer<T> {
  spec: ConsumerSpec<T>
  retryDelaysMs: readonly number[]
  log: Logger
  metrics?: BusMetrics
  waiting: Waiting
  settling: Omit<Settlement, 'inbound' | 'log'>
}

/**
 * Message semantics live here. A malformed message is dead-lettered at once; a handled one is acked only
 * after its handler resolved. Waiting is not failing: a handler that needs a dependency that is away runs
 * again, with backoff, for as long as the delivery may be held (waiting-out-outages.ts), and is then set
 * aside on its queue's set-aside queue to come back later, spending none of its retries; so is a message
 * its handler sets aside. A message that fails on its own is parked in the next retry tier (a confirmed
 * publish, then the ack) and, past the last tier, dead-lettered (failure-outcome.ts decides, settlement.ts
 * settles). Nothing is requeued in a tight loop.
 */
export function createDelivery<T>(spec: ConsumerSpec<T>, policy: DeliveryPolicy, { log, system, metrics, timer = realTimer }: DeliveryDeps) {
  const consumer: Consumer<T> = {
    spec,
    retryDelaysMs: policy.retryDelaysMs,
    log,
    metrics,
    waiting: { queue: spec.queue, maxHoldMs: policy.maxHoldMs, timer, metrics },
    settling: { queue: spec.queue, setAsideMs: policy.setAsideMs, timer, metrics },
  }

  /** Each delivery is handled in a span that continues the trace the message was published in. */
  return function deliver(inbound: Inbound, signals: Signals): Promise<void> {
    const attributes = { 'messaging.system': system, 'messaging.destination.name': spec.queue, 'messaging.message.id': String(inbound.messageId) }
    return inSpan(`process ${spec.queue}`, { kind: SpanKind.CONSUMER, attributes, parent: traceContextOf(inbound.headers) }, () => handle(inbound, signals, consumer))
  }
}

async function handle<T>(inbound: Inbound, signals: Signals, consumer: Consumer<T>): Promise<void> {
  const { spec, metrics } = consumer
  const retries = Number(inbound.headers[RETRIES_HEADER] ?? 0)
  const context = contextOf(inbound, signals, retries, consumer)
  const settlement: Settlement = { ...consumer.settling, inbound, log: context.log }
  if (inbound.redelivered) metrics?.redeliveries.inc({ queue: spec.queue })
  const message = parse(inbound.content, spec.check)
  if (message === undefined) {
    context.log.error({ bytes: inbound.content.length }, 'malformed message dead-lettered')
    return deadLettered(settlement, 'malformed')
  }
  try {
    await waitingOutOutages((attempt) => spec.handler(message as T, attempt), context, consumer.waiting)
    acked(settlement)
  } catch (err) {
    const outcome = failureOutcome(err, { aborted: signals.signal.aborted, retries, retryDelaysMs: consumer.retryDelaysMs })
    if (outcome.action === 'hand_back') return handedBack(settlement, err)
    if (outcome.action === 'set_aside') return setAside(settlement, err)
    if (outcome.action === 'retry') return retried(settlement, err, retries, outcome.delayMs)
    return giveUp(message as T, err, context, settlement, consumer)
  }
}

function contextOf<T>(inbound: Inbound, { signal, channelClosed }: Signals, retries: number, { spec, log }: Consumer<T>): MessageContext {
  const { headers } = inbound
  const correlationId = correlationIdOf(inbound)
  const resumes = inbound.redelivered || retries > 0 || SET_ASIDE_HEADER in headers || REPLAYED_HEADER in headers
  return { correlationId, resumes, signal, channelClosed, log: log.child({ reqId: correlationId, queue: spec.queue }) }
}

/** Past its last retry the failure is reported (waiting out outages like any work), then the message is dead-lettered. */
async function giveUp<T>(message: T, err: unknown, context: MessageContext, settlement: Settlement, { spec, waiting, retryDelaysMs }: Consumer<T>) {
  try {
    await waitingOutOutages((attempt) => spec.onGiveUp?.(message, { ...attempt, resumes: true }, err) ?? Promise.resolve(), context, waiting)
  } catch (reportErr) {
    if (context.signal.aborted) return handedBack(settlement, reportErr)
    if (mustWait(reportErr)) return setAside(settlement, reportErr)
    context.log.error({ err: reportErr }, 'could not report the failure')
  }
  context.log.error({ err, retries: retryDelaysMs.length }, 'message failed through every retry; dead-lettered')
  deadLettered(settlement, 'dead_lettered')
}

/** The id a delivery is logged and traced under: its correlation id, else its message id. */
export function correlationIdOf(inbound: Pick<Inbound, 'correlationId' | 'messageId'>): string {
  return inbound.correlationId ?? inbound.messageId ?? 'none'
}

/** The message when it is JSON that passes the schema; undefined otherwise. */
export function parse(content: Buffer, check: ReturnType<typeof Compile>): unknown {
  try {
    const value: unknown = JSON.parse(content.toString('utf8'))
    return check.Check(value) ? value : undefined
  } catch {
    return undefined
  }
}
