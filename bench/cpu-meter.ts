import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { AMQP_URL, REDIS_URL } from '../test/support/isolation.js'
import { deltaOf, perUnit } from './counter-deltas.js'
import type { Watched } from './rss.js'

// Linux counts process CPU time in clock ticks of 1/100 s (USER_HZ).
const ticksPerSecond = 100

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may hold spaces); utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
}

const defaultPorts: Record<string, number> = { 'amqp:': 5672, 'redis:': 6379, 'mongodb:': 27017 }

/**
 * The process listening on `url`'s port on this machine, as `ss` reports it. By port, not by command name: other
 * RabbitMQ nodes or Redis servers (a test's cluster) may run beside the machine's own.
 */
export function listenerOf(name: string, url: string): Watched {
  const { port, protocol } = new URL(url)
  const wanted = port || String(defaultPorts[protocol] ?? '')
  const listing = execFileSync('ss', ['-Hltnp', 'sport', '=', `:${wanted}`], { encoding: 'utf8' })
  const pid = /pid=(\d+)/.exec(listing)?.[1]
  if (pid === undefined) throw new Error(`no process of this machine listens on port ${wanted} (${name})`)
  return { name, pid: Number(pid) }
}

/** The machine's RabbitMQ node (its `beam.smp`) and Redis server. */
export function brokerAndRedis(): Watched[] {
  return [listenerOf('rabbitmq', AMQP_URL), listenerOf('redis', REDIS_URL)]
}

export type CpuReading = Record<string, number>

/** Cumulative CPU seconds by name (processes of the same name add up). */
export function cpuSecondsByName(watched: readonly Watched[]): CpuReading {
  const reading: CpuReading = {}
  for (const { name, pid } of watched) reading[name] = (reading[name] ?? 0) + cpuSecondsOf(pid)
  return reading
}

/** CPU seconds all cores of the machine have spent busy since boot, from the first line of /proc/stat. */
export function machineBusySeconds(): number {
  const [user, nice, system, , , irq, softirq, steal] = (readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '').trim().split(/\s+/).slice(1).map(Number)
  // Idle and I/O wait left out; guest time is already part of user time.
  return [user, nice, system, irq, softirq, steal].reduce((sum: number, ticks) => sum + (ticks ?? 0), 0) / ticksPerSecond
}

/** Cumulative CPU seconds by name, and of this process (the load generator). */
export function readCpu(watched: readonly Watched[]): CpuReading {
  const reading = cpuSecondsByName(watched)
  const own = process.cpuUsage()
  reading['load generator'] = (own.user + own.system) / 1e6
  return reading
}

/** CPU milliseconds per unit of work (a request, an order) of each process between two readings. */
export function cpuMsPer(before: CpuReading, after: CpuReading, units: number): CpuReading {
  return perUnit(deltaOf(before, after), Math.max(1, units), 1000)
}
