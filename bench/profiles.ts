import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[]
  /** Microseconds on the monotonic clock, as process.hrtime. */
  startTime: number
  samples: number[]
  timeDeltas: number[]
}

/** Monotonic-clock microseconds (process.hrtime) between which samples count. */
export interface ProfileWindow {
  from: number
  to: number
}

export const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n)

export interface Cost {
  name: string
  /** Share of the busy (non-idle) time spent in it, in percent. */
  selfPercent: number
}

export interface ProfileSummary {
  busySeconds: number
  functions: Cost[]
  modules: Cost[]
}

const root = `file://${join(import.meta.dirname, '..')}/`

/** Where a frame's code lives: its package (or our own workspace package, or the engine) and its file. */
function placeOf({ url, functionName }: CallFrame): { module: string; file: string } {
  if (!url) return { module: functionName.startsWith('(') ? functionName : '(native)', file: '' }
  if (url.startsWith('node:')) return { module: 'node core', file: url }
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)(.*)$/.exec(url)
  if (inPackage?.[1]) return { module: inPackage[1], file: `${inPackage[1]}/${inPackage[2] ?? ''}` }
  const file = url.replace(root, '')
  return { module: `${file.split('/dist/')[0] ?? file} (ours)`, file }
}

/** Adds up self times (µs) by function and by module, and keeps the `count` largest of each. */
function tally(costs: Iterable<[CallFrame, number]>, count = 10): ProfileSummary {
  const functions = new Map<string, number>()
  const modules = new Map<string, number>()
  let total = 0
  for (const [frame, cost] of costs) {
    total += cost
    const { module, file } = placeOf(frame)
    const fn = `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`
    functions.set(fn, (functions.get(fn) ?? 0) + cost)
    modules.set(module, (modules.get(module) ?? 0) + cost)
  }
  const top = (costsByName: Map<string, number>) =>
    [...costsByName]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, cost]) => ({ name, selfPercent: (cost / total) * 100 }))
  return { busySeconds: total / 1e6, functions: top(functions), modules: top(modules) }
}

/** Self time by function and by module within `window`, idle time left out. */
export function summarizeCpu(profile: CpuProfile, window: ProfileWindow): ProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
  const costs: [CallFrame, number][] = []
  let at = profile.startTime
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0
    at += micros
    const frame = frames.get(id)
    if (frame && frame.functionName !== '(idle)' && at >= window.from && at <= window.to) costs.push([frame, micros])
  })
  return tally(costs)
}

/** The profiles node wrote to `dir` (one per process, named with its pid), by service name. */
export async function readProfiles(dir: string, pidNames: Map<number, string>): Promise<Map<string, CpuProfile>> {
  const profiles = new Map<string, CpuProfile>()
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'))) {
    const pid = Number(/^CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1])
    profiles.set(pidNames.get(pid) ?? `pid ${pid}`, JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile)
  }
  return profiles
}

