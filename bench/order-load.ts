import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import type { LoadOutcome } from './open-loop.js'

/** What the load generator's process is to do: the argument it is started with. */
export interface LoadPlan {
  gatewayUrl: string
  ratePerSecond: number
  warmUpSeconds: number
  seconds: number
}

/** What it reports, over IPC: the warm-up's outcome, then (after `go`) the measured run's. */
export type LoadMessage = { kind: 'warmed' | 'done'; outcome: LoadOutcome }

function reportOf(child: ChildProcess, kind: LoadMessage['kind']): Promise<LoadOutcome> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: LoadMessage) => {
      if (message.kind !== kind) return
      stopListening()
      resolve(message.outcome)
    }
    const onExit = (code: number | null) => {
      stopListening()
      reject(new Error(`the load generator exited with ${code} before its '${kind}' report`))
    }
    const stopListening = () => {
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

/**
 * Starts the load generator as a process of its own (bench/order-load-process.ts), so that it neither shares
 * this process's event loop nor hides its CPU in it. It warms up at once; `measure()` starts the measured run.
 */
export function startOrderLoad(plan: LoadPlan) {
  // From the repository's root, where `--import tsx` resolves.
  const child = fork(join(import.meta.dirname, 'order-load-process.ts'), [JSON.stringify(plan)], {
    cwd: join(import.meta.dirname, '..'),
    execArgv: ['--import', 'tsx'],
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = once(child, 'exit')
  if (child.pid === undefined) throw new Error('the load generator did not start')
  return {
    pid: child.pid,
    warmedUp: reportOf(child, 'warmed'),
    measure() {
      const done = reportOf(child, 'done')
      child.send('go')
      return done
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
export type OrderLoad = ReturnType<typeof startOrderLoad>
