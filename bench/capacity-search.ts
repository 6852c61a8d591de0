/** How the capacity search steps: doubling from `start` until a rate misses, then bisecting down to `resolution`. */
export interface CapacityPlan {
  start: number
  max: number
  resolution: number
}

/** One rate tried: whether p99 POST → ready stayed under the bound with every order accepted. */
export interface CapacityStep {
  ratePerSecond: number
  held: boolean
}

/** The highest rate that held, or 0 when none did. */
export function highestHeld(steps: readonly CapacityStep[]): number {
  return Math.max(0, ...steps.filter((step) => step.held).map((step) => step.ratePerSecond))
}

/** The lowest rate that missed, or undefined when none did. */
function lowestMissed(steps: readonly CapacityStep[]): number | undefined {
  const missed = steps.filter((step) => !step.held).map((step) => step.ratePerSecond)
  return missed.length > 0 ? Math.min(...missed) : undefined
}

/** The next rate to try after `steps`, or undefined once the capacity is known to within `resolution` (or `max` held). */
export function nextRate(steps: readonly CapacityStep[], plan: CapacityPlan): number | undefined {
  if (steps.length === 0) return Math.min(plan.start, plan.max)
  const held = highestHeld(steps)
  const missed = lowestMissed(steps)
  if (missed === undefined) return held >= plan.max ? undefined : Math.min(held * 2, plan.max)
  if (missed - held <= plan.resolution) return undefined
  // The midpoint on the resolution's grid, strictly between the two.
  const middle = Math.round((held + missed) / 2 / plan.resolution) * plan.resolution
  return middle > held && middle < missed ? middle : undefined
}
