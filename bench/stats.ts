/** A figure measured over several runs: the median, the range, and every run's value in the order taken. */
export interface Figure {
  median: number
  min: number
  max: number
  runs: number[]
}

/** The value below which a fraction `q` of `sorted` lies (nearest rank). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
}

export function figureOf(runs: readonly number[]): Figure {
  const sorted = [...runs].sort((a, b) => a - b)
  const middle = sorted.length / 2
  const median = sorted.length % 2 === 1 ? (sorted[Math.floor(middle)] ?? Number.NaN) : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
  return { median, min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN, runs: [...runs] }
}

/** Run-by-run ratios of two series taken alternately (a[i] / b[i]), as one figure. */
export function ratioOf(a: Figure, b: Figure): Figure {
  return figureOf(a.runs.map((value, i) => value / (b.runs[i] ?? Number.NaN)))
}
