import type { Stack } from '../test/support/stack.js'
import { startStack } from '../test/support/stack.js'
import { highestHeld, nextRate, type CapacityStep } from './capacity-search.js'
import { openQueues } from './queues.js'
import { measureReadyLatency } from './ready-latency.js'
import type { MeanTimes } from './service-metrics.js'
import { followReadyOrders, type ReadyOrders } from './ready-orders.js'
import { serviceEnv, type Settings } from './settings.js'

export interface CapacityStepRun extends CapacityStep {
  orders: number
  refused: number
  p50Ms: number
  /** NaN when the run's orders did not all turn ready in time. */
  p99Ms: number
  /** Where the time went, on average, from the services' own metrics. */
  meanMs?: MeanTimes
  /** Why the step has no figures. */
  failure?: string
}

export interface CapacitySearch {
  kitchens: number
  ordersPerSecond: number
  steps: CapacityStepRun[]
}

export interface CapacityFigures {
  p99BoundMs: number
  seconds: number
  warmUpSeconds: number
  firstWarmUpSeconds: number
  searches: CapacitySearch[]
}

type Log = (line: string) => void
type CapacitySettings = Settings['capacity']

/** One step: a warm-up at the rate, then the measured open-loop run; a run whose orders never all turn ready missed. */
async function tryRate(stack: Stack, ready: ReadyOrders, rate: number, warmUpSeconds: number, settings: CapacitySettings): Promise<CapacityStepRun> {
  const metricsUrls = [stack.waiter.internalUrl, stack.kitchen.internalUrl]
  try {
    await measureReadyLatency(stack.gateway.url, metricsUrls, ready, rate, warmUpSeconds)
    const run = await measureReadyLatency(stack.gateway.url, metricsUrls, ready, rate, settings.seconds)
    const held = run.refused === 0 && run.p99Ms < settings.p99BoundMs
    return { ratePerSecond: rate, held, orders: run.orders, refused: run.refused, p50Ms: run.p50Ms, p99Ms: run.p99Ms, meanMs: run.meanMs }
  } catch (err) {
    return { ratePerSecond: rate, held: false, orders: 0, refused: 0, p50Ms: Number.NaN, p99Ms: Number.NaN, failure: err instanceof Error ? err.message : String(err) }
  }
}

/** Steps the rate as bench/capacity-search.ts says, dropping what a missed step left queued before the next. */
async function search(stack: Stack, ready: ReadyOrders, kitchens: number, settings: CapacitySettings, log: Log): Promise<CapacitySearch> {
  const queues = await openQueues(stack.run.namespace)
  try {
    const steps: CapacityStepRun[] = []
    for (let rate = nextRate(steps, settings); rate !== undefined; rate = nextRate(steps, settings)) {
      // A search's first step warms up longer: fresh services run their first seconds cold (compiling, filling
      // caches), and a p99 taken then measures the start, not the rate (it once read 236 ms at 50/s, then 26).
      const step = await tryRate(stack, ready, rate, steps.length === 0 ? settings.firstWarmUpSeconds : settings.warmUpSeconds, settings)
      steps.push(step)
      log(`  ${kitchens} kitchen(s), ${rate}/s: p50 ${step.p50Ms.toFixed(1)} ms, p99 ${step.p99Ms.toFixed(1)} ms over ${step.orders} orders${step.refused ? `, ${step.refused} refused` : ''}: ${step.held ? 'held' : 'missed'}${step.failure ? ` (${step.failure})` : ''}${step.meanMs ? `; ${meansOf(step.meanMs)}` : ''}`)
      if (!step.held) await queues.drainOrders()
    }
    return { kitchens, ordersPerSecond: highestHeld(steps), steps }
  } finally {
    await queues.close()
  }
}

const meansOf = (mean: MeanTimes) =>
  `means: publish confirm ${mean.publishConfirm.toFixed(1)} ms, placed → accepted ${mean.placedToAccepted.toFixed(1)}, → cooking ${mean.placedToCooking.toFixed(1)}, → ready ${mean.placedToReady.toFixed(1)}`

/**
 * Capacity: the highest open-loop order rate at which p99 POST → `ready` (from the send to the `ready` event on
 * the staff stream) stays under the bound with every order accepted, with one kitchen, then with more on the
 * same stack (the extra kitchens started beside the first).
 */
export async function measureCapacity(settings: CapacitySettings, log: Log): Promise<CapacityFigures> {
  log(`capacity: p99 POST → ready < ${settings.p99BoundMs} ms, from ${settings.start}/s doubling then bisecting to ${settings.resolution}/s (max ${settings.max}/s), ${settings.seconds} s per step after ${settings.warmUpSeconds} s (the first after ${settings.firstWarmUpSeconds} s)`)
  const stack = await startStack(serviceEnv)
  const ready = await followReadyOrders(stack.waiter.url).catch(async (err: unknown) => {
    await stack.stop()
    throw err
  })
  try {
    const figuresOf = (searches: CapacitySearch[]) => ({ p99BoundMs: settings.p99BoundMs, seconds: settings.seconds, warmUpSeconds: settings.warmUpSeconds, firstWarmUpSeconds: settings.firstWarmUpSeconds, searches })
    const oneKitchen = await search(stack, ready, 1, settings, log)
    if (settings.kitchens === 1) return figuresOf([oneKitchen])
    for (let kitchens = 2; kitchens <= settings.kitchens; kitchens++) await stack.addInstance('kitchen')
    // More kitchens start where one held: the steps below it would be spent confirming what is expected.
    const more = await search(stack, ready, settings.kitchens, { ...settings, start: Math.max(settings.start, oneKitchen.ordersPerSecond) }, log)
    return figuresOf([oneKitchen, more])
  } finally {
    ready.close()
    await stack.stop()
  }
}
