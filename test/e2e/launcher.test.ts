import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { queuePolicyFrom } from '@restaurant/platform/messaging/rabbit-bus'
import { loadConfig, rabbitConfig } from '@restaurant/platform/runtime/config'
import { eventually, isolatedRun } from '../support/isolation.js'
import { placeOrder } from '../support/order-client.js'

const launcher = join(import.meta.dirname, '..', '..', 'scripts', 'start.mjs')
const replicas = ['gateway-1', 'gateway-2', 'waiter-1', 'waiter-2', 'kitchen-1', 'kitchen-2']

async function isFree(port: number): Promise<boolean> {
  const server = createServer()
  const listening = once(server, 'listening').then(() => true)
  const refused = once(server, 'error').then(() => false)
  server.listen(port, '127.0.0.1')
  const free = await Promise.race([listening, refused])
  if (free) server.close()
  return free
}

/** A base port under which all that two of each listen on (base + 0..12 public, base + 50..62 internal) is free. */
async function freePortBlock(): Promise<number> {
  for (;;) {
    const base = 20_000 + 100 * Math.floor(Math.random() * 90)
    const ports = [0, 1, 2, 10, 11, 12].flatMap((offset) => [base + offset, base + 50 + offset])
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Every pid the launcher said it started, by name, latest last. */
const pidsIn = (output: string) => [...output.matchAll(/^(\S+)\s+\| started: pid (\d+)/gm)].map(([, name, pid]) => ({ name, pid: Number(pid) }))

const run = await isolatedRun(queuePolicyFrom(loadConfig(rabbitConfig, {})))
const base = await freePortBlock()
const passedOn = Object.fromEntries(['PATH', 'AMQP_URL', 'REDIS_URL'].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])))
const child = spawn(process.execPath, [launcher, '--gateways', '2', '--waiters', '2', '--kitchens', '2', '--base-port', String(base), '--internal-base-port', String(base + 50)], {
  env: { ...passedOn, AMQP_NAMESPACE: run.namespace, REDIS_PREFIX: run.redisPrefix, DATA_DIR: run.dataDir, SHUTDOWN_TIMEOUT_MS: '5000' },
  stdio: ['ignore', 'pipe', 'pipe'],
})
let output = ''
for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()))
const exited = once(child, 'exit') as Promise<[number | null, string | null]>
const gateways = [`http://127.0.0.1:${base}`, `http://127.0.0.1:${base + 10}`]
t.teardown(async () => {
  if (child.exitCode === null) child.kill('SIGINT')
  await exited
  await run.cleanUp()
})

t.test('two of each start quietly: one line when all are up, no stack trace, one line at most per dependency waited for', async (t) => {
  const ready = await eventually(async () => output.match(/^start\s+\| ready in ([\d.]+) s: (.*)$/m) ?? undefined, 60_000, 'the ready line')
  t.comment(`ready in ${ready[1]} s`)
  t.match(ready[2], `gateways ${gateways.join(' ')}`)
  t.same(pidsIn(output).map(({ name }) => name).sort(), [...replicas].sort())
  t.notMatch(output, /^\s+at .+:\d+:\d+\)?$|\\n\s+at /m, 'no stack trace')
  const waits = [...output.matchAll(/waiting for (.+?) \(/g)].map(([, dependency]) => dependency)
  t.same(waits, [...new Set(waits)], 'no dependency waited for twice')
})

t.test('orders are taken through both gateways', async (t) => {
  const records = await Promise.all(gateways.map((gateway, n) => placeOrder(() => gateway, `launcher-${run.namespace}-${n}`, Date.now() + 15_000)))
  t.same(records.map(({ lastProblem }) => lastProblem), [undefined, undefined])
  t.ok(records.every(({ id }) => id))
})

t.test('a waiter killed is restarted with a line saying so, and orders go to the other meanwhile', async (t) => {
  const victim = pidsIn(output).find(({ name }) => name === 'waiter-1')
  if (!victim) throw new Error('no waiter-1 pid')
  process.kill(victim.pid, 'SIGKILL')
  const taken = await placeOrder(() => gateways[0] ?? '', `launcher-${run.namespace}-after-kill`, Date.now() + 15_000)
  t.equal(taken.attempts, 1, `taken at the first attempt (${taken.lastProblem})`)
  await eventually(async () => /^waiter-1\s+\| exited unexpectedly \(signal SIGKILL\): restarting in 1 s$/m.test(output) || undefined, 10_000, 'the restart line')
  const restarted = await eventually(async () => pidsIn(output).filter(({ name }) => name === 'waiter-1')[1], 10_000, 'waiter-1 started again')
  t.not(restarted.pid, victim.pid)
  await eventually(async () => /^waiter-1\s+\| ready again$/m.test(output) || undefined, 30_000, 'waiter-1 ready again')
})

t.test('Ctrl-C stops every process gracefully, says so in one line and exits 0, leaving no process behind', async (t) => {
  child.kill('SIGINT')
  const [code] = await exited
  t.equal(code, 0)
  const summary = output.match(/^start\s+\| stopped 6 processes gracefully in ([\d.]+) s$/m)
  t.ok(summary, 'the summary line')
  t.comment(`stopped in ${summary?.[1]} s`)
  t.same(pidsIn(output).filter(({ pid }) => isAlive(pid)), [], 'no process outlives the launcher')
  t.notMatch(output, /ERR_PNPM|second SIG/)
})
