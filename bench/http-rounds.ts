import { figuresByName } from './counter-deltas.js'
import { cpuMsPer, type CpuReading } from './cpu-meter.js'
import { loadHttp, type HttpRun, type HttpTarget } from './http-load.js'
import { figuresOfFields, totalOf, type Figure } from './stats.js'

export interface RoundRun extends HttpRun {
  /** CPU milliseconds per 2xx answer, by process role. */
  cpuMsPerRequest: CpuReading
}

export interface HttpFigures {
  requestsPerSecond: Figure
  p50Ms: Figure
  p99Ms: Figure
  cpuMsPerRequest: Record<string, Figure>
  non2xx: number
  errors: number
  runs: RoundRun[]
}

export interface RoundOptions {
  runs: number
  connections: number
  seconds: number
  /** Brings the system back to the same quiet state before every run. */
  between: () => Promise<void>
  readCpu: () => CpuReading
  log: (line: string) => void
}

/**
 * Runs the targets in turn, round after round (A, B, C, A, B, C, ...), so that whatever else the machine
 * does at the time weighs on all of them alike; a short unrecorded run of each warms it up first.
 */
export async function runInRounds(targets: readonly HttpTarget[], options: RoundOptions): Promise<Record<string, HttpFigures>> {
  const runs = new Map<string, RoundRun[]>(targets.map((target) => [target.name, []]))
  for (const target of targets) {
    await options.between()
    await loadHttp(target, { connections: options.connections, durationSeconds: 1 })
  }
  for (let round = 1; round <= options.runs; round++) {
    for (const target of targets) {
      await options.between()
      const before = options.readCpu()
      const taken = await loadHttp(target, { connections: options.connections, durationSeconds: options.seconds })
      const run = { ...taken, cpuMsPerRequest: cpuMsPer(before, options.readCpu(), taken.accepted) }
      runs.get(target.name)?.push(run)
      const problems = run.non2xx + run.errors > 0 ? `  ⚠ ${run.non2xx} non-2xx, ${run.errors} errors` : ''
      options.log(`  round ${round} ${target.name.padEnd(14)} ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${run.p50Ms} ms  p99 ${run.p99Ms} ms${problems}`)
    }
  }
  return Object.fromEntries([...runs].map(([name, taken]) => [name, figuresOf(taken)]))
}

function figuresOf(runs: RoundRun[]): HttpFigures {
  return {
    ...figuresOfFields(runs, ['requestsPerSecond', 'p50Ms', 'p99Ms']),
    cpuMsPerRequest: figuresByName(runs.map((run) => run.cpuMsPerRequest)),
    non2xx: totalOf(runs, 'non2xx'),
    errors: totalOf(runs, 'errors'),
    runs,
  }
}
