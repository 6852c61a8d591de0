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

/**
 * Runs `rounds` rounds once every racer says it is ready: each round every racer is told `go {round}` at once and
 * answers a line of JSON. Then their stdin ends; `exitCodes` are theirs once they have closed the store and exited.
 */
export async function raceRounds<R>(racers: readonly Racer[], rounds: number): Promise<{ results: R[][]; exitCodes: (number | null)[] }> {
  await Promise.all(racers.map((racer) => racer.next()))
  const results: R[][] = []
  for (let round = 0; round < rounds; round++) {
    for (const racer of racers) racer.stdin.write(`go ${round}\n`)
    results.push(await Promise.all(racers.map(async (racer) => JSON.parse(await racer.next()) as R)))
  }
  for (const racer of racers) racer.stdin.end()
  return { results, exitCodes: await Promise.all(racers.map((racer) => racer.exited)) }
}
