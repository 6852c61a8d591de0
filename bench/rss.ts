import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { figureOf, type Figure } from './stats.js'

export interface Watched {
  name: string
  pid: number
}

/** One reading of a quantity in MiB (RSS, heap) per process. */
export interface MiBSample {
  /** Seconds since sampling started. */
  at: number
  mib: Record<string, number>
}

/** Resident set size of a process, in MiB, from /proc/<pid>/status (VmRSS). */
function rssMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`)
  return Number(kib) / 1024
}

/** Samples the RSS of `watched` every `everyMs` until stopped (a first sample at once). */
export function sampleRss(watched: readonly Watched[], everyMs: number, onSample: (sample: MiBSample) => void = () => undefined) {
  const samples: MiBSample[] = []
  const started = performance.now()
  const take = () => {
    const sample = { at: (performance.now() - started) / 1000, mib: Object.fromEntries(watched.map(({ name, pid }) => [name, rssMiB(pid)])) }
    samples.push(sample)
    onSample(sample)
  }
  take()
  const timer = setInterval(take, everyMs)
  return { samples, stop: () => clearInterval(timer) }
}

/** Each process's readings over `samples`, as one figure (median and range of the samples). */
export function rssFigures(watched: readonly Watched[], samples: readonly MiBSample[]): Record<string, Figure> {
  return Object.fromEntries(watched.map(({ name }) => [name, figureOf(samples.map((sample) => sample.mib[name] ?? Number.NaN))]))
}

/** A few samples a second apart with nothing running: the idle footprint. */
export async function idleRss(watched: readonly Watched[], count = 3): Promise<Record<string, Figure>> {
  const sampler = sampleRss(watched, 1000)
  await sleep(1000 * (count - 1) + 100)
  sampler.stop()
  return rssFigures(watched, sampler.samples)
}
