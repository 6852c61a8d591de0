import type { LoadFigures } from '../../bench/load-figures.js'
import { figureOf } from '../../bench/stats.js'

/** Runs in which every one of `sent` requests was answered 202, p50 and p99 as given. */
export const allAccepted = (sent: number, p50Ms = 2, p99Ms = 9): LoadFigures => ({
  latencyP50Ms: figureOf([p50Ms]),
  latencyP99Ms: figureOf([p99Ms]),
  sent,
  accepted: sent,
  refused: 0,
  unanswered: 0,
})
