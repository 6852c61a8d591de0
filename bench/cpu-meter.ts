import { readdirSync, readFileSync } from 'node:fs'
import type { Watched } from './rss.js'
import { figureOf, type Figure } from './stats.js'

// Linux counts process CPU time in clock ticks of 1/100 s (USER_HZ).
const ticksPerSecond = 100

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may hold spaces); utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
}

function commandOf(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    // The process ended while the list was read.
    return ''
  }
}

/** The machine's RabbitMQ and Redis server processes, found by their command name. */
export function brokerAndRedis(): Watched[] {
  const wanted = new Map([
    ['beam.smp', 'rabbitmq'],
    ['redis-server', 'redis'],
  ])
  const found: Watched[] = []
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const name = wanted.get(commandOf(entry))
    if (name) found.push({ name, pid: Number(entry) })
  }
  return found
}

export type CpuReading = Record<string, number>

/** Cumulative CPU seconds by name (processes of the same name add up), and of this process (the load generator). */
export function readCpu(watched: readonly Watched[]): CpuReading {
  const reading: CpuReading = {}
  for (const { name, pid } of watched) reading[name] = (reading[name] ?? 0) + cpuSecondsOf(pid)
  const own = process.cpuUsage()
  reading['load generator'] = (own.user + own.system) / 1e6
  return reading
}

/** CPU milliseconds per unit of work (a request, an order) of each process between two readings. */
export function cpuMsPer(before: CpuReading, after: CpuReading, units: number): CpuReading {
  return Object.fromEntries(Object.entries(after).map(([name, seconds]) => [name, ((seconds - (before[name] ?? seconds)) * 1000) / Math.max(1, units)]))
}

/** Per process role, the figure of its CPU cost over the runs. */
export function cpuFigures(readings: readonly CpuReading[]): Record<string, Figure> {
  const roles = [...new Set(readings.flatMap((reading) => Object.keys(reading)))]
  return Object.fromEntries(roles.map((role) => [role, figureOf(readings.map((reading) => reading[role] ?? 0))]))
}
