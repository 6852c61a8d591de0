import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Redis } from 'ioredis'
import type { Stack } from '../test/support/stack.js'
import { lessIdle, perUnit, type CounterWindow, type Tally } from './counter-deltas.js'
import { cpuSecondsByName, machineBusySeconds } from './cpu-meter.js'
import type { LoadOutcome } from './open-loop.js'
import { startOrderLoad } from './order-load.js'
import { readRedisWork, type RedisWork } from './redis-work.js'
import type { Watched } from './rss.js'
import { readCounters } from './service-metrics.js'

/** One run at a fixed rate: what the load generator saw, and the work per order that reached `ready`. */
export interface FixedRateRun {
  ratePerSecond: number
  load: LoadOutcome
  /** From the kitchens' own counters, between the window's readings. */
  ordersReady: number
  windowSeconds: number
  /** By process, and `machine` for all cores, idle subtracted. */
  cpuMsPerOrder: Tally
  redisCallsPerOrder: Tally
  redisRoundTripsPerOrder: number
}

export interface RateContext {
  stack: Stack
  /** The machine's servers the services use: RabbitMQ, Redis, FerretDB. */
  machine: Watched[]
  redis: Redis
  /** Messages waiting in the run's work queues (orders for the kitchen, statuses for the waiter). */
  queueDepth: () => Promise<number>
  warmUpSeconds: number
  seconds: number
  log: (line: string) => void
}

interface Reading {
  at: number
  cpu: Tally
  redis: RedisWork
  /** Orders the kitchens have made ready so far. */
  ready: number
}

// Orders still short of `ready` this long after the last answer are left out (and the shortfall shown).
const catchUpMs = 60_000

const readyCount = async ({ stack }: RateContext) => (await readCounters(stack.kitchens.map((kitchen) => kitchen.internalUrl))).readyByKitchens

async function readAll(context: RateContext, watched: readonly Watched[]): Promise<Reading> {
  const ready = await readyCount(context)
  const redis = await readRedisWork(context.redis)
  return { at: performance.now(), cpu: { ...cpuSecondsByName(watched), machine: machineBusySeconds() }, redis, ready }
}

/**
 * Waits until the kitchens have made `orders` more orders ready than at `since` and the waiter has taken in every
 * status (its queue is empty): the work of those orders is done.
 */
async function untilReady(context: RateContext, since: Reading, orders: number): Promise<void> {
  const deadline = performance.now() + catchUpMs
  for (;;) {
    const short = orders - ((await readyCount(context)) - since.ready)
    if (short <= 0 && (await context.queueDepth()) === 0) return
    if (performance.now() > deadline) return context.log(`  ⚠ ${short} orders not ready ${catchUpMs / 1000} s after their answers`)
    await sleep(200)
  }
}

const windowOf = (before: Reading, after: Reading, pick: (reading: Reading) => Tally): CounterWindow => ({
  before: pick(before),
  after: pick(after),
  seconds: (after.at - before.at) / 1000,
})

/** Per order that reached `ready`: CPU by process, Redis calls by command and round trips, each less idle. */
function perOrder(idle: [Reading, Reading], work: [Reading, Reading]) {
  const orders = work[1].ready - work[0].ready
  const net = (pick: (reading: Reading) => Tally) => lessIdle(windowOf(...work, pick), windowOf(...idle, pick))
  const roundTrips = net((reading) => ({ reads: reading.redis.readsProcessed })).reads ?? Number.NaN
  const redisCallsPerOrder = perUnit(net((reading) => reading.redis.calls), orders)
  return {
    ordersReady: orders,
    windowSeconds: (work[1].at - work[0].at) / 1000,
    cpuMsPerOrder: perUnit(net((reading) => reading.cpu), orders, 1000),
    redisCallsPerOrder: Object.fromEntries(Object.entries(redisCallsPerOrder).filter(([, calls]) => Math.abs(calls) >= 0.005)),
    redisRoundTripsPerOrder: orders > 0 ? roundTrips / orders : Number.NaN,
  }
}

/**
 * One run at `ratePerSecond`: the load generator (a process of its own) warms up; once every warm-up order is
 * ready, every process's idle CPU (and Redis's idle work) is read over a quiet window as long as the run; then
 * the measured run, its window closing when its last accepted order is ready.
 */
export async function measureAtRate(context: RateContext, ratePerSecond: number): Promise<FixedRateRun> {
  const { stack, machine, warmUpSeconds, seconds } = context
  const load = startOrderLoad({ gatewayUrl: stack.gateway.url, ratePerSecond, warmUpSeconds, seconds })
  try {
    const services = [stack.gateway, stack.waiter, ...stack.kitchens].map((service) => ({ name: service.name, pid: service.child.pid ?? 0 }))
    const watched = [...services, ...machine, { name: 'load generator', pid: load.pid }]
    const start = await readAll(context, watched)
    await untilReady(context, start, (await load.warmedUp).accepted)
    const idleStart = await readAll(context, watched)
    await sleep(seconds * 1000)
    const idleEnd = await readAll(context, watched)
    const workStart = await readAll(context, watched)
    const outcome = await load.measure()
    await untilReady(context, workStart, outcome.accepted)
    const workEnd = await readAll(context, watched)
    return { ratePerSecond, load: outcome, ...perOrder([idleStart, idleEnd], [workStart, workEnd]) }
  } finally {
    await load.stop()
  }
}
