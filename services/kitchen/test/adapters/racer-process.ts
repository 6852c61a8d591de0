import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'

export type Racer = ChildProcessByStdio<Writable, Readable, null> & { next: () => Promise<string>; exited: Promise<number | null> }

/** A child process running `script` (beside this file) through tsx; `next` reads its next line, `exited` is its exit code. */
export function startRacer(t: Test, script: string, args: string[]): Racer {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url))
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  t.teardown(() => void child.kill())
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async () => {
    const { value, done } = await lines.next()
    if (done === true) throw new Error(`${script} ${args.join(' ')} ended early`)
    return String(value)
  }
  return Object.assign(child, { next, exited })
}
