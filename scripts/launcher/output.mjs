// What the launcher prints: every process's log lines under its name, pretty; a dependency waited for, once.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

// The services' own pretty-printer, from the package that depends on it (the launcher has no package of its own).
const { prettyFactory } = createRequire(join(import.meta.dirname, '..', '..', 'shared/platform/package.json'))('pino-pretty')

const WAITING = 'waiting for a dependency to start'
const NAME_WIDTH = 10

export function createOutput({ colorize = Boolean(process.stdout.isTTY), write = (text) => process.stdout.write(text) } = {}) {
  const pretty = prettyFactory({ colorize, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,name', singleLine: true })
  const waitedFor = new Set()
  const say = (name, text) => write(`${name.padEnd(NAME_WIDTH)}| ${text}\n`)

  /** A line a service wrote: its JSON log line pretty, anything else as it is. */
  function relay(name, line) {
    const entry = parse(line)
    if (entry?.msg === WAITING) return sayWaiting(entry)
    say(name, entry ? pretty(entry).trimEnd() : line)
  }

  // Every replica waits for the same broker or Redis, retrying: one line says so, the first time.
  function sayWaiting({ dependency, hint }) {
    if (waitedFor.has(dependency)) return
    waitedFor.add(dependency)
    say('start', `waiting for ${dependency} (${hint})`)
  }

  return {
    say,
    /** Relays each line of the child's stdout and stderr under its name. */
    follow(name, child) {
      for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => relay(name, line))
    },
  }
}

function parse(line) {
  if (!line.startsWith('{')) return undefined
  try {
    return JSON.parse(line)
  } catch {
    return undefined
  }
}
