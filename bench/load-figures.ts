import { tallyTotal } from './counter-deltas.js'
import type { LoadOutcome } from './open-loop.js'
import { figureOf, type Figure } from './stats.js'

/** What the load generator saw over several runs at one rate: latency per run, answers added up. */
export interface LoadFigures {
  latencyP50Ms: Figure
  latencyP99Ms: Figure
  sent: number
  accepted: number
  /** Answers other than 202. */
  refused: number
  unanswered: number
}

export function loadFiguresOf(loads: readonly LoadOutcome[]): LoadFigures {
  const total = (pick: (load: LoadOutcome) => number) => loads.reduce((sum, load) => sum + pick(load), 0)
  return {
    latencyP50Ms: figureOf(loads.map((load) => load.latencyMs.p50)),
    latencyP99Ms: figureOf(loads.map((load) => load.latencyMs.p99)),
    sent: total((load) => load.sent),
    accepted: total((load) => load.accepted),
    refused: total((load) => tallyTotal(load.otherStatuses)),
    unanswered: total((load) => load.unanswered),
  }
}
