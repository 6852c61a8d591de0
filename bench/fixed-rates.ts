import { Redis } from 'ioredis'
import { REDIS_URL } from '../test/support/isolation.js'
import { startStack } from '../test/support/stack.js'
import { figuresByName, tallyTotal } from './counter-deltas.js'
import { brokerAndRedis, listenerOf } from './cpu-meter.js'
import { measureAtRate, type FixedRateRun, type RateContext } from './fixed-rate-run.js'
import { openQueues } from './queues.js'
import { serviceEnv, type Settings } from './settings.js'
import { loadFiguresOf, type LoadFigures } from './load-figures.js'
import { figureOf, type Figure } from './stats.js'

/** What was measured, so that every report says it. */
export interface FixedRateSetup {
  profile: Settings['benchProfile']
  store: 'sqlite' | 'mongo'
  brokerNodes: number
  kitchens: number
  identity: string
  runs: number
  seconds: number
  warmUpSeconds: number
}

export interface RateFigures extends LoadFigures {
  ratePerSecond: number
  ordersReady: Figure
  cpuMsPerOrder: Record<string, Figure>
  /** The processes above added up, run by run: unlike `machine`, blind to whatever else the machine runs. */
  processesCpuMsPerOrder: Figure
  redisCallsPerOrder: Record<string, Figure>
  redisCallsTotalPerOrder: Figure
  redisRoundTripsPerOrder: Figure
  maxLagMs: Figure
  runs: FixedRateRun[]
}

export interface FixedRateFigures {
  setup: FixedRateSetup
  rates: RateFigures[]
}

const identity = "customer JWT (HS256) checked at the gateway; per-hop EdDSA service tokens, one per request, bound to the callee, method and path"

export function figuresOf(ratePerSecond: number, runs: FixedRateRun[]): RateFigures {
  const over = (pick: (run: FixedRateRun) => number) => figureOf(runs.map(pick))
  return {
    ratePerSecond,
    ordersReady: over((run) => run.ordersReady),
    cpuMsPerOrder: figuresByName(runs.map((run) => run.cpuMsPerOrder)),
    processesCpuMsPerOrder: over(({ cpuMsPerOrder }) => tallyTotal(cpuMsPerOrder) - (cpuMsPerOrder.machine ?? 0)),
    redisCallsPerOrder: figuresByName(runs.map((run) => run.redisCallsPerOrder)),
    redisCallsTotalPerOrder: over((run) => tallyTotal(run.redisCallsPerOrder)),
    redisRoundTripsPerOrder: over((run) => run.redisRoundTripsPerOrder),
    maxLagMs: over((run) => run.load.maxLagMs),
    ...loadFiguresOf(runs.map((run) => run.load)),
    runs,
  }
}

function describe(round: number, run: FixedRateRun): string {
  const { load } = run
  const problems = load.unanswered + tallyTotal(load.otherStatuses) > 0 ? `  ⚠ ${JSON.stringify(load.otherStatuses)} refused, ${load.unanswered} unanswered` : ''
  const machine = run.cpuMsPerOrder.machine ?? Number.NaN
  return (
    `  round ${round} ${run.ratePerSecond}/s: ${load.accepted} of ${load.sent} accepted, ${run.ordersReady} ready in ${run.windowSeconds.toFixed(1)} s; ` +
    `machine ${machine.toFixed(2)} CPU ms/order, Redis ${tallyTotal(run.redisCallsPerOrder).toFixed(1)} calls and ${run.redisRoundTripsPerOrder.toFixed(1)} reads/order; ` +
    `p99 ${load.latencyMs.p99.toFixed(0)} ms${problems}`
  )
}

/** One stack (one kitchen) and what the runs read beside it, for `measure`; all of it stopped afterwards. */
export async function withRateContext<T>(settings: Settings, log: (line: string) => void, measure: (context: RateContext) => Promise<T>): Promise<T> {
  const stack = await startStack(serviceEnv, { store: settings.store })
  const redis = new Redis(REDIS_URL)
  try {
    const queues = await openQueues(stack.run.namespace)
    try {
      const mongo = settings.mongoUrl ? [listenerOf('ferretdb', settings.mongoUrl)] : []
      const machine = [...brokerAndRedis(), ...mongo]
      return await measure({ stack, machine, redis, queueDepth: queues.depth, warmUpSeconds: settings.warmUpSeconds, seconds: settings.rateSeconds, log })
    } finally {
      await queues.close()
    }
  } finally {
    redis.disconnect()
    await stack.stop()
  }
}

/**
 * CPU and Redis work per order at fixed order rates, open loop, POST through the gateway to `ready` at speed 0,
 * the rates alternating round after round.
 */
export async function measureFixedRates(settings: Settings, log: (line: string) => void): Promise<FixedRateFigures> {
  const setup: FixedRateSetup = { profile: settings.benchProfile, store: settings.store, brokerNodes: 1, kitchens: 1, identity, runs: settings.runs, seconds: settings.rateSeconds, warmUpSeconds: settings.warmUpSeconds }
  log(`fixed rates ${settings.rates.join(', ')} orders/s, ${settings.runs} rounds of ${settings.rateSeconds} s after ${settings.warmUpSeconds} s of warm-up, store ${settings.store}`)
  const runs = new Map<number, FixedRateRun[]>(settings.rates.map((rate) => [rate, []]))
  await withRateContext(settings, log, async (context) => {
    for (let round = 1; round <= settings.runs; round++) {
      for (const rate of settings.rates) {
        const run = await measureAtRate(context, rate)
        runs.get(rate)?.push(run)
        log(describe(round, run))
      }
    }
  })
  return { setup, rates: [...runs].map(([rate, taken]) => figuresOf(rate, taken)) }
}
