import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { eventually } from '../test/support/isolation.js'
import { freePort } from '../test/support/processes.js'

export interface ServerProcess {
  name: string
  url: string
  pid: number
  stop: () => Promise<void>
}

/**
 * Starts one of the servers in bench/servers as its own process (as the services run), on a free port,
 * and resolves once it answers anything.
 */
export async function startServerProcess(name: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort()
  // From the repository's root, where `--import tsx` resolves.
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'servers', `${name}.ts`)], {
    cwd: join(import.meta.dirname, '..'),
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const exited = once(child, 'exit')
  const url = `http://127.0.0.1:${port}`
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited during start-up`)
      return (await fetch(url).catch(() => undefined)) ? true : undefined
    },
    20_000,
    `${name} to listen`,
  )
  if (child.pid === undefined) throw new Error(`${name} has no pid`)
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  return { name, url, pid: child.pid, stop }
}
