#!/usr/bin/env node
// `npm start [-- --gateways N --waiters N --kitchens N --base-port P --internal-base-port P]`: N of each service on
// one machine, sharing the broker, Redis and the store, their logs under their names. Ctrl-C stops them gracefully.
// Ports: the n-th replica (from 0) of gateway, waiter, kitchen listens on base + 10 n + 0, 1, 2 (3000, 3010, ... for
// gateways; 3001, 3011, ... waiters; 3002, 3012, ... kitchens), and serves /health, /ready and /metrics on the
// internal base (9100) + the same. Everything else the services read comes from the environment, passed on as it is.
import { parseArgs } from 'node:util'
import { createOutput } from './launcher/output.mjs'
import { MAX_REPLICAS, planStack } from './launcher/plan.mjs'
import { createSupervisor } from './launcher/supervisor.mjs'

const usage = `usage: node scripts/start.mjs [--gateways N] [--waiters N] [--kitchens N] (1 to ${MAX_REPLICAS} each, 1 by default)
                                [--base-port P] (3000) [--internal-base-port P] (9100)`

const startedAt = Date.now()
const options = readOptions()
const output = createOutput()
const plan = planStack(options.counts, options)
const supervisor = createSupervisor(plan, {
  env: process.env,
  output,
  shutdownTimeoutMs: Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000),
  onReady: () => output.say('start', readyLine()),
  onFailure: (reason) => void stopAll(reason),
})

let stopped
/** Stops every process once, however many signals arrive (npm passes Ctrl-C on too), and exits with the outcome. */
function stopAll(reason) {
  stopped ??= (async () => {
    const began = Date.now()
    output.say('start', reason ? `stopping everything: ${reason}` : `stopping ${plan.length} processes`)
    const { count, killed, failed } = await supervisor.stop()
    output.say('start', summary(count, killed, failed, Date.now() - began))
    process.exit(reason || killed.length > 0 || failed.length > 0 ? 1 : 0)
  })()
  return stopped
}

function summary(count, killed, failed, ms) {
  const seconds = `${(ms / 1_000).toFixed(1)} s`
  if (killed.length === 0 && failed.length === 0) return `stopped ${count} processes gracefully in ${seconds}`
  return [`stopped ${count} processes in ${seconds}`, killed.length > 0 && `killed after the grace period: ${killed.join(', ')}`, failed.length > 0 && `exited with an error: ${failed.join(', ')}`]
    .filter(Boolean)
    .join('; ')
}

function readyLine() {
  const urls = (kind) => plan.filter((member) => member.kind === kind).map(({ url }) => url).join(' ')
  const seconds = ((Date.now() - startedAt) / 1_000).toFixed(1)
  return `ready in ${seconds} s: gateways ${urls('gateway')} | waiters ${urls('waiter')} | kitchens ${urls('kitchen')} | probes and metrics from port ${options.internalBasePort}. Ctrl-C stops them all.`
}

function readOptions() {
  const values = parsedArguments()
  const counts = { gateway: Number(values.gateways), waiter: Number(values.waiters), kitchen: Number(values.kitchens) }
  const ports = { basePort: Number(values['base-port']), internalBasePort: Number(values['internal-base-port']) }
  const valid = Object.values(counts).every((n) => Number.isInteger(n) && n >= 1 && n <= MAX_REPLICAS) && Object.values(ports).every((port) => Number.isInteger(port) && port > 0 && port + 10 * MAX_REPLICAS < 65_536)
  if (!valid) refuseUsage()
  return { counts, ...ports }
}

function parsedArguments() {
  const count = { type: 'string', default: '1' }
  const port = (fallback) => ({ type: 'string', default: fallback })
  try {
    return parseArgs({ options: { gateways: count, waiters: count, kitchens: count, 'base-port': port('3000'), 'internal-base-port': port('9100') } }).values
  } catch {
    return refuseUsage()
  }
}

function refuseUsage() {
  process.stderr.write(`${usage}\n`)
  process.exit(2)
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stopAll())
process.on('exit', () => supervisor.killAll())
supervisor.start()
