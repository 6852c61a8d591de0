import type { Logger } from 'pino'
import type { BusMetrics } from '../runtime/metrics.js'
import type { Inbound } from './delivery.js'
import { retryQueueFor, setAsideQueueFor } from './queue-policy.js'
import type { Timer } from './timer.js'

export const RETRIES_HEADER = 'x-retries'
export const SET_ASIDE_HEADER = 'x-set-aside'
const PARK_FAILURE_PAUSE_MS = 1_000

/** One delivery being settled: on the channel it came on, counted by outcome on its queue, logged in its context. */
export interface Settlement {
  inbound: Inbound
  queue: string
  setAsideMs: number
  log: Logger
  timer: Timer
  metrics?: BusMetrics
}

type Outcome = 'acked' | 'retried' | 'set_aside' | 'handed_back' | 'requeued' | 'dead_lettered' | 'malformed'

export function acked(settlement: Settlement): void {
  settled(settlement, 'acked', (inbound) => inbound.ack())
}

/** Rejected without requeue: its queue dead-letters it. */
export function deadLettered(settlement: Settlement, outcome: 'malformed' | 'dead_lettered'): void {
  settled(settlement, outcome, (inbound) => inbound.reject())
}

export function handedBack(settlement: Settlement, reason: unknown): void {
  settlement.log.info({ reason: reasonOf(reason) }, 'message handed back to the queue')
  settled(settlement, 'handed_back', (inbound) => inbound.requeue())
}

/** Parked in the next retry tier with its retries counted, then acked. */
export async function retried(settlement: Settlement, err: unknown, retries: number, delayMs: number): Promise<void> {
  const headers = { ...settlement.inbound.headers, [RETRIES_HEADER]: retries + 1 }
  if (!(await parked(settlement, retryQueueFor(settlement.queue, delayMs), headers, err))) return requeueAfterPause(settlement)
  settlement.log.warn({ err, retries: retries + 1, delayMs }, 'message handling failed; retrying later')
  settled(settlement, 'retried', (inbound) => inbound.ack())
}

/** Parked on its queue's set-aside queue, to come back later, then acked. */
export async function setAside(settlement: Settlement, reason: unknown): Promise<void> {
  const { inbound, queue, setAsideMs } = settlement
  const headers = { ...inbound.headers, [SET_ASIDE_HEADER]: Number(inbound.headers[SET_ASIDE_HEADER] ?? 0) + 1 }
  if (!(await parked(settlement, setAsideQueueFor(queue, setAsideMs), headers, reason))) return requeueAfterPause(settlement)
  settlement.log.info({ reason: reasonOf(reason), comesBackInMs: setAsideMs }, 'message set aside to come back later')
  settled(settlement, 'set_aside', (inbound) => inbound.ack())
}

/** Publishes a confirmed copy onto `queue` with `headers`; false when that failed (logged). */
async function parked({ inbound, log }: Settlement, queue: string, headers: Record<string, unknown>, err: unknown): Promise<boolean> {
  try {
    await inbound.park(queue, headers)
    return true
  } catch (parkErr) {
    log.error({ err, parkErr, queue }, 'message could not be parked; requeued after a pause')
    return false
  }
}

// The pause keeps this from looping hot; the queue's delivery limit bounds how often it can happen.
async function requeueAfterPause(settlement: Settlement): Promise<void> {
  await settlement.timer.sleep(PARK_FAILURE_PAUSE_MS)
  settled(settlement, 'requeued', (inbound) => inbound.requeue())
}

/** An ack on a channel that has since closed cannot be delivered; the broker redelivers the message. */
function settled({ inbound, queue, log, metrics }: Settlement, outcome: Outcome, action: (inbound: Inbound) => void): void {
  metrics?.deliveries.inc({ queue, outcome })
  try {
    action(inbound)
  } catch (err) {
    log.warn({ err }, 'could not settle the delivery; the broker will redeliver it')
  }
}

function reasonOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason)
}
