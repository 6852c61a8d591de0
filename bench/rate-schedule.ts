/**
 * An open-loop schedule: request `n` (from 0) is due `n / ratePerSecond` seconds after the start, whatever
 * became of the earlier ones, so a slow system is not given time to catch up (no coordinated omission).
 */
export interface RateSchedule {
  ratePerSecond: number
  total: number
}

export function scheduleOf(ratePerSecond: number, seconds: number): RateSchedule {
  if (!(ratePerSecond > 0)) throw new Error(`a rate must be positive, not ${ratePerSecond}`)
  return { ratePerSecond, total: Math.max(1, Math.round(ratePerSecond * seconds)) }
}

/** Milliseconds after the start at which request `n` is due. */
export function dueAtMs(schedule: RateSchedule, n: number): number {
  return (n * 1000) / schedule.ratePerSecond
}

/** How many requests are due `elapsedMs` after the start (the first at once), never more than the total. */
export function dueBy(schedule: RateSchedule, elapsedMs: number): number {
  if (elapsedMs < 0) return 0
  return Math.min(schedule.total, Math.floor((elapsedMs * schedule.ratePerSecond) / 1000) + 1)
}
