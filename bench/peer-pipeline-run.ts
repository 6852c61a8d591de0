import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { lessIdle, perUnit, type Tally } from './counter-deltas.js'
import { cpuSecondsByName, machineBusySeconds } from './cpu-meter.js'
import type { RateContext } from './fixed-rate-run.js'
import type { LoadOutcome } from './open-loop.js'
import { startOrderLoad } from './order-load.js'
import type { Watched } from './rss.js'

/** One run of the peer pipeline at a fixed rate, as bench/fixed-rate-run.ts measures ours. */
export interface PeerRun {
  ratePerSecond: number
  load: LoadOutcome
  /** From the order API's store: statuses recorded as `ready`, between the window's readings. */
  ordersReady: number
  windowSeconds: number
  /** By process, and `machine` for all cores, idle subtracted. */
  cpuMsPerOrder: Tally
}

/** As ours (warm-up, run length, log), with the peer's URL, processes and ready count. */
export interface PeerContext extends Pick<RateContext, 'warmUpSeconds' | 'seconds' | 'log'> {
  apiUrl: string
  /** The order API, the kitchen worker and RabbitMQ (the peer uses no Redis, so other clients' work there is not charged to it). */
  watched: Watched[]
  /** Orders whose recorded status is `ready`, counted in the order API's store. */
  readyCount: () => number
}

interface Reading {
  at: number
  cpu: Tally
  ready: number
}

// As ours: orders still short of `ready` this long after the last answer are left out (and the shortfall shown).
const catchUpMs = 60_000

const readAll = (context: PeerContext, watched: readonly Watched[]): Reading => ({
  at: performance.now(),
  cpu: { ...cpuSecondsByName(watched), machine: machineBusySeconds() },
  ready: context.readyCount(),
})

async function untilReady(context: PeerContext, since: Reading, orders: number): Promise<void> {
  const deadline = performance.now() + catchUpMs
  for (;;) {
    const short = orders - (context.readyCount() - since.ready)
    if (short <= 0) return
    if (performance.now() > deadline) return context.log(`  ⚠ peer: ${short} orders not ready ${catchUpMs / 1000} s after their answers`)
    await sleep(200)
  }
}

function perOrder([idleStart, idleEnd]: [Reading, Reading], [workStart, workEnd]: [Reading, Reading]) {
  const orders = workEnd.ready - workStart.ready
  const seconds = (workEnd.at - workStart.at) / 1000
  const cpu = lessIdle({ before: workStart.cpu, after: workEnd.cpu, seconds }, { before: idleStart.cpu, after: idleEnd.cpu, seconds: (idleEnd.at - idleStart.at) / 1000 })
  return { ordersReady: orders, windowSeconds: seconds, cpuMsPerOrder: perUnit(cpu, orders, 1000) }
}

/**
 * One run at `ratePerSecond`, as ours: the load generator (bench/order-load-process.ts, pointed at the order API)
 * warms up; once every warm-up order is ready, idle CPU is read over a quiet window as long as the run; then the
 * measured run, its window closing when the store holds its last accepted order as `ready`.
 */
export async function measurePeerAtRate(context: PeerContext, ratePerSecond: number): Promise<PeerRun> {
  const { warmUpSeconds, seconds } = context
  const load = startOrderLoad({ gatewayUrl: context.apiUrl, ratePerSecond, warmUpSeconds, seconds })
  try {
    const watched = [...context.watched, { name: 'load generator', pid: load.pid }]
    const start = readAll(context, watched)
    await untilReady(context, start, (await load.warmedUp).accepted)
    const idleStart = readAll(context, watched)
    await sleep(seconds * 1000)
    const idle: [Reading, Reading] = [idleStart, readAll(context, watched)]
    const workStart = readAll(context, watched)
    const outcome = await load.measure()
    await untilReady(context, workStart, outcome.accepted)
    return { ratePerSecond, load: outcome, ...perOrder(idle, [workStart, readAll(context, watched)]) }
  } finally {
    await load.stop()
  }
}
