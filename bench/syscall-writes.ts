import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Tally } from './counter-deltas.js'
import type { Watched } from './rss.js'

const traced = ['write', 'writev', 'pwrite64', 'sendmsg', 'sendto', 'fdatasync', 'fsync'] as const
const syncs = new Set(['fdatasync', 'fsync'])
// A call as `strace -f -y -o` writes it: `<tid> write(17</path/to/tickets.sqlite-wal>, …` (a resumed call's tail starts with `<...`).
const callPattern = new RegExp(`^(?:\\d+\\s+)?(${traced.join('|')})\\(\\d+<([^>]*)>`)

// SQLite's temporary files (statement journals, sorts) are named etilqs_ and a random suffix.
const fileName = (path: string) => basename(path).replace(/^etilqs_\w+$/, 'etilqs_* (SQLite temporary)')

/** What one traced call wrote to: `socket`, `file <name>`, `sync <name>` (fsync, fdatasync) or `other` (pipes, eventfds). */
function kindOf(syscall: string, target: string): string {
  if (syncs.has(syscall)) return `sync ${fileName(target)}`
  if (/^(socket|TCP|TCPv6|UDP|UNIX):\[/.test(target)) return 'socket'
  return target.startsWith('/') ? `file ${fileName(target)}` : 'other'
}

/** Write and sync calls by what they wrote to, from the output of `strace -f -y`. */
export function writesByKind(trace: string): Tally {
  const tally: Tally = {}
  for (const line of trace.split('\n')) {
    const [, syscall, target] = callPattern.exec(line) ?? []
    if (syscall === undefined || target === undefined) continue
    const kind = kindOf(syscall, target)
    tally[kind] = (tally[kind] ?? 0) + 1
  }
  return tally
}

/** Write calls to files (a service's stores: SQLite databases, their logs and temporary files), syncs left out. */
export const fileWrites = (tally: Tally) => Object.entries(tally).reduce((sum, [kind, calls]) => (kind.startsWith('file ') ? sum + calls : sum), 0)

/**
 * Traces the write and sync calls of every thread of each process for `seconds` (`strace -f -y`, which slows the
 * traced process: the window is short), and tallies them by what they wrote to, by process name.
 */
export async function traceWrites(processes: readonly Watched[], seconds: number, dir: string): Promise<Record<string, Tally>> {
  const tracers = processes.map(({ name, pid }) => {
    const output = join(dir, `strace-${name}-${pid}.txt`)
    const tracer = spawn('/usr/bin/strace', ['-f', '-y', '-e', `trace=${traced.join(',')}`, '-p', String(pid), '-o', output], { stdio: ['ignore', 'ignore', 'pipe'] })
    let errors = ''
    tracer.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
    return { name, output, tracer, exited: once(tracer, 'exit'), errors: () => errors }
  })
  await sleep(seconds * 1000)
  for (const { tracer } of tracers) tracer.kill('SIGINT')
  await Promise.all(tracers.map(({ exited }) => exited))
  // Attaching needs ptrace rights (kernel.yama.ptrace_scope, CAP_SYS_PTRACE): without them strace says why.
  const read = async ({ name, output, errors }: (typeof tracers)[number]) => {
    if (/attach: |Operation not permitted/.test(errors())) throw new Error(`strace could not trace the ${name}: ${errors().trim()}`)
    return [name, writesByKind(await readFile(output, 'utf8'))] as const
  }
  return Object.fromEntries(await Promise.all(tracers.map(read)))
}
