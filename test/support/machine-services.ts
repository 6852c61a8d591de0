import { execFile } from 'node:child_process'
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
