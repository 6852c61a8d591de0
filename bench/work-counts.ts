import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { contextSwitchesByName } from './context-switches.js'
import { deltaOf, perUnit, type Tally } from './counter-deltas.js'
import type { RateContext } from './fixed-rate-run.js'
import { withRateContext } from './fixed-rates.js'
import { startOrderLoad } from './order-load.js'
import type { LoadOutcome } from './open-loop.js'
import type { Watched } from './rss.js'
import { readCounters, type Counters } from './service-metrics.js'
import type { Settings } from './settings.js'
import { fileWrites, traceWrites } from './syscall-writes.js'

/** The statuses an order's record goes through: placed (written when it is taken in), accepted, cooking, ready. */
export const stateChangesPerOrder = 4

export interface WorkCounts {
  ratePerSecond: number
  seconds: number
  load: LoadOutcome
  ordersReady: number
  contextSwitchesPerOrder: Tally
  amqp: { publishesPerOrder: number; deliveriesPerOrder: number }
  /** Over a window of `straceSeconds` inside the run, the services traced: calls per order made ready in it; or why strace could not. */
  trace: TracedWrites | { unavailable: string }
}

export interface TracedWrites {
  seconds: number
  ordersReady: number
  writesPerOrder: Record<string, Tally>
  storeWritesPerStateChange: Record<string, number>
}

const internalUrls = ({ stack }: RateContext) => [stack.gateway, stack.waiter, ...stack.kitchens].map((service) => service.internalUrl)

/** Polls until the kitchens have made `orders` more orders ready than `since` counted, for at most a minute. */
async function readyBeyond(context: RateContext, since: Counters, orders: number): Promise<Counters> {
  const deadline = performance.now() + 60_000
  for (;;) {
    const now = await readCounters(internalUrls(context))
    if (now.readyByKitchens - since.readyByKitchens >= orders || performance.now() > deadline) return now
    await sleep(200)
  }
}

/** Traces the services a second into the run, counting the orders made ready over the trace's window. */
async function traceDuringRun(context: RateContext, services: Watched[], seconds: number): Promise<WorkCounts['trace']> {
  await sleep(1000)
  const dir = await mkdtemp(join(tmpdir(), 'bench-strace-'))
  try {
    const before = await readCounters(internalUrls(context))
    const tallies = await traceWrites(services, seconds, dir)
    const ordersReady = (await readCounters(internalUrls(context))).readyByKitchens - before.readyByKitchens
    const writesPerOrder = Object.fromEntries(Object.entries(tallies).map(([name, tally]) => [name, perUnit(tally, ordersReady)]))
    const storeWritesPerStateChange = {
      kitchen: fileWrites(writesPerOrder.kitchen ?? {}) / stateChangesPerOrder,
      waiter: fileWrites(writesPerOrder.waiter ?? {}) / stateChangesPerOrder,
    }
    return { seconds, ordersReady, writesPerOrder, storeWritesPerStateChange }
  } catch (err) {
    return { unavailable: err instanceof Error ? err.message : String(err) }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Work per order at one rate, open loop, on a stack of its own: context switches of every process and the
 * services' AMQP publishes and deliveries over the run, and write syscalls (file or socket) over a traced window.
 */
export async function measureWorkCounts(settings: Settings, log: (line: string) => void): Promise<WorkCounts> {
  const { ratePerSecond, seconds, straceSeconds } = settings.workCounts
  log(`work counts: ${ratePerSecond} orders/s for ${seconds} s after ${settings.warmUpSeconds} s; the services under strace for ${straceSeconds} s of it`)
  return withRateContext(settings, log, async (context) => {
    const { stack } = context
    const load = startOrderLoad({ gatewayUrl: stack.gateway.url, ratePerSecond, warmUpSeconds: settings.warmUpSeconds, seconds })
    try {
      const services = [stack.gateway, stack.waiter, ...stack.kitchens].map((service) => ({ name: service.name, pid: service.child.pid ?? 0 }))
      const watched = [...services, ...context.machine, { name: 'load generator', pid: load.pid }]
      const warm = await readyBeyond(context, await readCounters(internalUrls(context)), (await load.warmedUp).accepted)
      const switchesBefore = contextSwitchesByName(watched)
      const measured = load.measure()
      const trace = await traceDuringRun(context, services, straceSeconds)
      const outcome = await measured
      const after = await readyBeyond(context, warm, outcome.accepted)
      const ordersReady = after.readyByKitchens - warm.readyByKitchens
      const amqp = { publishesPerOrder: (after.publishes - warm.publishes) / ordersReady, deliveriesPerOrder: (after.deliveries - warm.deliveries) / ordersReady }
      const contextSwitchesPerOrder = perUnit(deltaOf(switchesBefore, contextSwitchesByName(watched)), ordersReady)
      return { ratePerSecond, seconds, load: outcome, ordersReady, contextSwitchesPerOrder, amqp, trace }
    } finally {
      await load.stop()
    }
  })
}
