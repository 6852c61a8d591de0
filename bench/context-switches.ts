import { readdirSync, readFileSync } from 'node:fs'
import type { Tally } from './counter-deltas.js'
import type { Watched } from './rss.js'

/** Voluntary plus involuntary context switches in one `/proc/…/status` text. */
export function switchesIn(status: string): number {
  const field = (name: string) => Number(new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(status)?.[1] ?? 0)
  return field('voluntary_ctxt_switches') + field('nonvoluntary_ctxt_switches')
}

/** Context switches so far of every thread of the process (a thread that has ended no longer counts). */
function switchesOf(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).reduce((sum, tid) => sum + switchesIn(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8')), 0)
}

/** Context switches so far by process name. */
export function contextSwitchesByName(watched: readonly Watched[]): Tally {
  const tally: Tally = {}
  for (const { name, pid } of watched) tally[name] = (tally[name] ?? 0) + switchesOf(pid)
  return tally
}
