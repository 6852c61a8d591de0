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

/** The keys of `T` whose values are numbers. */
type NumberKeys<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T]

/** One figure per named field of the runs: `{ requestsPerSecond: Figure, … }`. */
export function figuresOfFields<T, K extends NumberKeys<T>>(runs: readonly T[], keys: readonly K[]): Record<K, Figure> {
  return Object.fromEntries(keys.map((key) => [key, figureOf(runs.map((run) => Number(run[key])))])) as Record<K, Figure>
}

/** A field added up over the runs (counts such as refused requests). */
export function totalOf<T>(runs: readonly T[], key: NumberKeys<T>): number {
  return runs.reduce((sum, run) => sum + Number(run[key]), 0)
}

/** Run-by-run ratios of two series taken alternately (a[i] / b[i]), as one figure. */
export function ratioOf(a: Figure, b: Figure): Figure {
  return figureOf(a.runs.map((value, i) => value / (b.runs[i] ?? Number.NaN)))
}
