import { execFile } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import { eventually } from './isolation.js'

const run = promisify(execFile)

/** The machine's own Redis, stopped and started with the command it was started with. */
export const redisServer = {
  async stop() {
    await run('redis-cli', ['-h', '127.0.0.1', 'shutdown', 'nosave']).catch(() => undefined)
    await eventually(async () => ((await this.isUp()) ? undefined : true), 10_000, 'Redis to stop')
  },
  async start() {
    if (await this.isUp()) return
    await run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log'])
    await eventually(async () => ((await this.isUp()) ? true : undefined), 20_000, 'Redis to start')
  },
  async isUp() {
    return run('redis-cli', ['-h', '127.0.0.1', 'ping']).then(({ stdout }) => stdout.includes('PONG'), () => false)
  },
}

/**
 * The machine's Redis stopped with its data kept (SHUTDOWN SAVE writes a dump it loads when it starts again),
 * as an operator's restart is. Once restarted the dump is removed, so that no later start brings the data back.
 */
export const redisServerKeepingData = {
  async stop() {
    const [, dir = '/var/lib/redis'] = (await run('redis-cli', ['-h', '127.0.0.1', '--raw', 'config', 'get', 'dir'])).stdout.trim().split('\n')
    this.dump = join(dir, 'dump.rdb')
    await run('redis-cli', ['-h', '127.0.0.1', 'shutdown', 'save']).catch(() => undefined)
    await eventually(async () => ((await redisServer.isUp()) ? undefined : true), 10_000, 'Redis to stop')
  },
  async start() {
    await redisServer.start()
    if (this.dump) await rm(this.dump, { force: true })
  },
  dump: undefined as string | undefined,
}

/** The machine's own RabbitMQ node: the application is stopped and started, as an operator would. */
export const rabbitServer = {
  async stop() {
    await run('rabbitmqctl', ['-q', 'stop_app'])
  },
  async start() {
    await run('rabbitmqctl', ['-q', 'start_app'])
    await run('rabbitmqctl', ['-q', 'await_startup'])
  },
}

/** Stops a machine service for a test and always starts it again, even when the test fails. */
export async function stopDuringTest(t: Test, server: { stop(): Promise<void>; start(): Promise<void> }) {
  let stopped = false
  t.teardown(async () => {
    if (stopped) await server.start()
  })
  await server.stop()
  stopped = true
  return async () => {
    await server.start()
    stopped = false
  }
}
