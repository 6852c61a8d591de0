import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { dueAtMs, dueBy, type RateSchedule } from './rate-schedule.js'
import { percentile } from './stats.js'

/** The status of one request's answer, or undefined when none came (refused connection, reset, timeout). */
export type Send = () => Promise<number | undefined>

export interface Answer {
  status: number | undefined
  /** From the moment the request was due (not when it left) to its answer. */
  ms: number
}

/** What became of the requests of one open-loop run, as the load generator saw it. */
export interface LoadOutcome {
  sent: number
  /** 202 answers: orders on a quorum queue, confirmed. */
  accepted: number
  /** Every other answer, by status. */
  otherStatuses: Record<string, number>
  unanswered: number
  /** Of the answered requests, from when each was due. */
  latencyMs: { p50: number; p90: number; p99: number; max: number }
  /** How far behind its schedule the generator fell at worst: it is the bound of the rate it can claim. */
  maxLagMs: number
  seconds: number
}

/** Sends on `schedule` whatever the answers (in flight is unbounded), then waits for every answer. */
export async function sendOnSchedule(schedule: RateSchedule, send: Send): Promise<LoadOutcome> {
  const started = performance.now()
  const pending: Promise<Answer>[] = []
  let maxLagMs = 0
  while (pending.length < schedule.total) {
    const due = dueBy(schedule, performance.now() - started)
    while (pending.length < due) {
      const dueAt = started + dueAtMs(schedule, pending.length)
      maxLagMs = Math.max(maxLagMs, performance.now() - dueAt)
      pending.push(send().then((status) => ({ status, ms: performance.now() - dueAt })))
    }
    await sleep(1)
  }
  const answers = await Promise.all(pending)
  return outcomeOf(answers, maxLagMs, (performance.now() - started) / 1000)
}

export function outcomeOf(answers: readonly Answer[], maxLagMs: number, seconds: number): LoadOutcome {
  const otherStatuses: Record<string, number> = {}
  let accepted = 0
  for (const { status } of answers) {
    if (status === 202) accepted += 1
    else if (status !== undefined) otherStatuses[status] = (otherStatuses[status] ?? 0) + 1
  }
  const latencies = answers.filter((answer) => answer.status !== undefined).map((answer) => answer.ms).sort((a, b) => a - b)
  return {
    sent: answers.length,
    accepted,
    otherStatuses,
    unanswered: answers.filter((answer) => answer.status === undefined).length,
    latencyMs: { p50: percentile(latencies, 0.5), p90: percentile(latencies, 0.9), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? Number.NaN },
    maxLagMs,
    seconds,
  }
}
