import { figureOf, type Figure } from './stats.js'

/** Cumulative counters by name, read at one moment: CPU seconds by process, Redis calls by command, … */
export type Tally = Record<string, number>

/** Two readings of the same counters and the seconds between them. */
export interface CounterWindow {
  before: Tally
  after: Tally
  seconds: number
}

/** What each counter of `after` added since `before` (a counter absent before started at zero). */
export function deltaOf(before: Tally, after: Tally): Tally {
  return Object.fromEntries(Object.entries(after).map(([name, value]) => [name, value - (before[name] ?? 0)]))
}

/**
 * What the work added over its window less what the same counters added, at the same pace, over a quiet window
 * just before: the background (timers, scrapes, other clients of a shared server) is not charged to the work.
 */
export function lessIdle(work: CounterWindow, idle: CounterWindow): Tally {
  const idleDelta = deltaOf(idle.before, idle.after)
  const scale = idle.seconds > 0 ? work.seconds / idle.seconds : 0
  return Object.fromEntries(Object.entries(deltaOf(work.before, work.after)).map(([name, added]) => [name, added - (idleDelta[name] ?? 0) * scale]))
}

/** Each counter per unit of work (an order), times `scale` (1000 for milliseconds from seconds). */
export function perUnit(tally: Tally, units: number, scale = 1): Tally {
  return Object.fromEntries(Object.entries(tally).map(([name, value]) => [name, units > 0 ? (value * scale) / units : Number.NaN]))
}

/** The counters added up. */
export function tallyTotal(tally: Tally): number {
  return Object.values(tally).reduce((sum, value) => sum + value, 0)
}

/** Per counter name, its figure (median and range) over the runs; a name missing from a run counts as zero there. */
export function figuresByName(tallies: readonly Tally[]): Record<string, Figure> {
  const names = [...new Set(tallies.flatMap((tally) => Object.keys(tally)))]
  return Object.fromEntries(names.map((name) => [name, figureOf(tallies.map((tally) => tally[name] ?? 0))]))
}
