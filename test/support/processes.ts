import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { appendFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { eventually } from './isolation.js'

const root = join(import.meta.dirname, '..', '..')
export const entries = {
  gateway: join(root, 'gateway/dist/main.js'),
  waiter: join(root, 'services/waiter/dist/main.js'),
  kitchen: join(root, 'services/kitchen/dist/main.js'),
}

/** A port nothing listens on now, other than those in `besides` (the kernel can hand out a just-closed port again). */
export async function freePort(...besides: number[]): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (!address || typeof address === 'string') throw new Error('no port')
  return besides.includes(address.port) ? freePort(...besides) : address.port
}

export interface ServiceProcess {
  name: keyof typeof entries
  port: number
  /** The public API and pages. */
  url: string
  internalPort: number
  /** Where `/health`, `/ready` and `/metrics` are served. */
  internalUrl: string
  child: ChildProcess
  /** Everything the process has written so far. */
  output: () => string
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
}

/**
 * Starts a built service as its own process and resolves once it answers /health on its internal port: a free one,
 * unless `env.INTERNAL_PORT` names one. A port found free can be taken by another test before the service binds it;
 * when the ports were picked here, the service is started again on fresh ones.
 */
export async function startService(name: keyof typeof entries, env: Record<string, string>, port?: number): Promise<ServiceProcess> {
  const picksPorts = port === undefined || !env.INTERNAL_PORT
  for (let attempt = 1; ; attempt++) {
    try {
      const publicPort = port ?? (await freePort())
      const internalPort = env.INTERNAL_PORT ? Number(env.INTERNAL_PORT) : await freePort(publicPort)
      return await startOnce(name, env, publicPort, internalPort)
    } catch (err) {
      const portTaken = err instanceof Error && err.message.includes('EADDRINUSE')
      if (!picksPorts || !portTaken || attempt === 3) throw err
    }
  }
}

async function startOnce(name: keyof typeof entries, env: Record<string, string>, port: number, internalPort: number): Promise<ServiceProcess> {
  // Node flags for the service, space-separated: e.g. `--cpu-prof`, which NODE_OPTIONS does not accept.
  const nodeFlags = (env.SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean)
  const child = spawn(process.execPath, [...nodeFlags, entries[name]], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), INTERNAL_PORT: String(internalPort), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  // SERVICE_LOG_DIR keeps every service's log in a file of its own, to read after a failed fault run.
  const logFile = process.env.SERVICE_LOG_DIR && join(process.env.SERVICE_LOG_DIR, `${name}-${child.pid ?? 'unknown'}.log`)
  const keep = (chunk: Buffer) => {
    output += chunk.toString()
    if (logFile) appendFileSync(logFile, chunk)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const url = `http://127.0.0.1:${port}`
  const internalUrl = `http://127.0.0.1:${internalPort}`
  const exited = once(child, 'exit')
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited during start-up:\n${output}`)
      return (await fetch(`${internalUrl}/health`).catch(() => undefined))?.ok ? true : undefined
    },
    20_000,
    `${name} to answer /health`,
  ).catch((err: unknown) => {
    // A service that never became healthy must not outlive the test that started it.
    child.kill('SIGKILL')
    throw err
  })
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    const [code] = (await exited) as [number | null]
    return code
  }
  return { name, port, url, internalPort, internalUrl, child, output: () => output, stop }
}
