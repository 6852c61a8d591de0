import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { freePort } from '../../../../test/support/processes.js'
import { until, within } from '../messaging/bus-harness.js'

const child = fileURLToPath(new URL('./run-service-child.ts', import.meta.url))

interface Line {
  event?: string
  msg?: string
  level?: number
  [field: string]: unknown
}

/** Runs the child service with a scenario; its stdout lines are parsed as they come, its stderr kept whole. */
function run(scenario: string, internalPort = 0) {
  const spawned = spawn(process.execPath, ['--import', 'tsx', child, scenario, String(internalPort)], { cwd: fileURLToPath(new URL('.', import.meta.url)), env: { PATH: process.env['PATH'] } })
  const lines: Line[] = []
  let stderr = ''
  let pending = ''
  spawned.stdout.on('data', (chunk: Buffer) => {
    const parts = (pending + chunk.toString()).split('\n')
    pending = parts.pop() ?? ''
    lines.push(...parts.map((part) => JSON.parse(part) as Line))
  })
  spawned.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = once(spawned, 'exit').then(([code]) => code as number | null)
  const seen = (what: Partial<Line>) => lines.find((line) => Object.entries(what).every(([key, value]) => line[key] === value))
  return {
    lines,
    seen,
    stderr: () => stderr,
    exitCode: () => within(15_000, 'the child to exit', exited),
    waitFor: async (what: Partial<Line>) => {
      await until(`a line like ${JSON.stringify(what)}`, () => seen(what) !== undefined, 15_000)
      return seen(what)
    },
    kill: (signal: NodeJS.Signals) => spawned.kill(signal),
  }
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`a service listens where its settings say, and on ${signal} closes and exits 0`, async (t) => {
    const service = run('healthy')
    t.match(await service.waitFor({ event: 'listening' }), { host: '127.0.0.1', port: 0 })
    service.kill(signal)
    t.equal(await service.exitCode(), 0)
    t.match(service.seen({ msg: 'shutting down: no new work, finishing the work in hand' }), { signal, name: 'child-service' })
    t.ok(service.seen({ event: 'closed' }), 'the service closed before the process ended')
    t.notOk(service.seen({ msg: 'shutting down after an error' }))
  })
}

t.test('probes and metrics are served on INTERNAL_PORT, logged as its own listener, and answer until the service has closed', async (t) => {
  const port = await freePort()
  const service = run('healthy', port)
  t.match(await service.waitFor({ listener: 'internal' }), { msg: `Server listening at http://127.0.0.1:${port}` })
  const internal = `http://127.0.0.1:${port}`
  t.same(await (await fetch(`${internal}/health`)).json(), { status: 'ok' })
  t.match(await (await fetch(`${internal}/ready`)).json(), { status: 'ready', checks: { broker: { status: 'up' } } })
  t.match(await (await fetch(`${internal}/metrics`)).text(), /process_unhandled_rejections_total 0/)
  service.kill('SIGTERM')
  t.equal(await service.exitCode(), 0)
  t.match(service.seen({ event: 'closing' }), { health: 200, ready: 503 }, '/health answered while the service drained, and /ready said it was not ready')
  await t.rejects(fetch(`${internal}/health`), 'closed with the process')
})

t.test('an internal port already taken fails the start-up with one line', async (t) => {
  const taken = createServer().listen(0, '127.0.0.1')
  await once(taken, 'listening')
  t.teardown(() => taken.close())
  const service = run('healthy', (taken.address() as AddressInfo).port)
  t.equal(await service.exitCode(), 1)
  t.match(service.stderr(), /^child-service could not start: listen EADDRINUSE[^\n]*\n$/)
})

for (const [scenario, reason] of [['bad-config', 'env/PORT must be integer'], ['dependency-away', 'RabbitMQ never came']] as const) {
  t.test(`a start-up that fails (${scenario}) ends the process with one readable line and exit code 1`, async (t) => {
    const service = run(scenario)
    t.equal(await service.exitCode(), 1)
    t.equal(service.stderr(), `child-service could not start: ${reason}\n`)
    t.notOk(service.seen({ event: 'listening' }))
  })
}

t.test('an unhandled rejection is logged and counted, and the service carries on', async (t) => {
  const service = run('rejection')
  t.match(await service.waitFor({ msg: 'unhandled rejection; carrying on' }), { level: 50, err: { message: 'a client left' } })
  service.kill('SIGTERM')
  t.equal(await service.exitCode(), 0, 'it still closes as usual, later')
  t.match(service.seen({ event: 'closing' }), { rejections: /process_unhandled_rejections_total 1\n?$/ })
})

t.test('an uncaught exception closes the service gracefully, then ends the process with exit code 1', async (t) => {
  const service = run('exception')
  t.equal(await service.exitCode(), 1)
  t.match(service.seen({ msg: 'shutting down after an error' }), { level: 50, err: { message: 'a step failed halfway' } })
  t.ok(service.seen({ event: 'closed' }), 'the work in hand was finished first')
})

t.test('a close that outlasts SHUTDOWN_TIMEOUT_MS is cut short with exit code 1', async (t) => {
  const service = run('slow-close')
  await service.waitFor({ event: 'listening' })
  const signalled = Date.now()
  service.kill('SIGTERM')
  t.equal(await service.exitCode(), 1)
  t.ok(Date.now() - signalled >= 300, 'not before the timeout')
  t.ok(service.seen({ event: 'closing' }))
  t.notOk(service.seen({ event: 'closed' }))
  t.ok(service.seen({ msg: 'killed by timeout (300ms)' }))
})
