import { spawn } from 'node:child_process'
import { once } from 'node:events'
import t from 'tap'
import { eventually } from '../support/isolation.js'
import { entries, freePort } from '../support/processes.js'

/** Runs a service entry with only the given environment and collects what it prints. */
function launch(name: keyof typeof entries, env: Record<string, string>) {
  const child = spawn(process.execPath, [entries[name]], { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return { child, output: () => output, exited: once(child, 'exit') as Promise<[number | null, string | null]> }
}

t.test('a bad variable stops the service at start-up with a message naming it', async (t) => {
  const service = launch('waiter', { PORT: 'three thousand' })
  const [code] = await service.exited
  t.equal(code, 1)
  t.match(service.output(), /waiter could not start: .*PORT/)
})

t.test('a service waiting for RabbitMQ says what it waits for and how to start it, and keeps trying', async (t) => {
  const unreachable = `amqp://guest:guest@127.0.0.1:${await freePort()}`
  const service = launch('kitchen', { AMQP_URL: unreachable, PORT: String(await freePort()), DATA_DIR: t.testdirName })
  t.teardown(() => void service.child.kill('SIGKILL'))
  await eventually(async () => (service.output().match(/"dependency":"RabbitMQ/g)?.length ?? 0) >= 2 || undefined, 10_000, 'two attempts')
  t.match(service.output(), /rabbitmq-server -detached/)
  t.equal(service.child.exitCode, null, 'still running')
})

t.test('a service waiting for Redis says so and keeps trying', async (t) => {
  const service = launch('waiter', { REDIS_URL: `redis://127.0.0.1:${await freePort()}`, PORT: String(await freePort()) })
  t.teardown(() => void service.child.kill('SIGKILL'))
  await eventually(async () => (service.output().match(/"dependency":"Redis/g)?.length ?? 0) >= 2 || undefined, 10_000, 'two attempts')
  t.match(service.output(), /redis-server/)
  t.equal(service.child.exitCode, null, 'still running')
})
