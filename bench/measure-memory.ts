import { startStack, type Stack } from '../test/support/stack.js'
import { loadHttp } from './http-load.js'
import { idleRss, rssFigures, sampleRss, type MiBSample, type Watched } from './rss.js'
import { followReadyOrders, type ReadyOrders } from './ready-orders.js'
import { placeOrderThrough } from './requests.js'
import { heapUsedMiB } from './service-metrics.js'
import { serviceEnv } from './settings.js'
import type { Figure } from './stats.js'

export interface SteadyFigures {
  seconds: number
  ratePerSecond: number
  placed: number
  ready: number
  refused: number
  /** Seconds at the start and at the end compared (a minute, or a third of a shorter run). */
  windowSeconds: number
  first: Record<string, Figure>
  last: Record<string, Figure>
  /** Median RSS of the last window over that of the first, minus one, in percent. */
  growthPercent: Record<string, number>
  /** The JS heap in use, at the same moments: whether growth is held by JavaScript objects. */
  heapFirst: Record<string, Figure>
  heapLast: Record<string, Figure>
  samples: MiBSample[]
  heapSamples: MiBSample[]
}

export interface SteadyOptions {
  seconds: number
  rate: number
  sampleSeconds: number
  log: (line: string) => void
}

/**
 * Memory on a stack of its own, so that no earlier burst weighs on it: the services' RSS at idle, then
 * over the steady run.
 */
export async function measureMemory(options: SteadyOptions): Promise<{ idle: Record<string, Figure>; steady: SteadyFigures }> {
  const stack = await startStack(serviceEnv)
  try {
    const watched = [stack.gateway, stack.waiter, stack.kitchen].map((service) => ({ name: service.name, pid: service.child.pid ?? 0 }))
    const idle = await idleRss(watched)
    const ready = await followReadyOrders(stack.waiter.url)
    try {
      return { idle, steady: await steadyRun(stack, ready, watched, options) }
    } finally {
      ready.close()
    }
  } finally {
    await stack.stop()
  }
}

/**
 * Orders at a fixed, moderate rate through the gateway for `seconds` (the kitchen cooks them all, the
 * staff stream stays open as the pass's board would), with the RSS of every service sampled throughout.
 */
async function steadyRun(stack: Stack, ready: ReadyOrders, watched: readonly Watched[], options: SteadyOptions): Promise<SteadyFigures> {
  const readyBefore = ready.arrivals.length
  const urls = Object.fromEntries([stack.gateway, stack.waiter, stack.kitchen].map((service) => [service.name, service.internalUrl]))
  const heapSamples: MiBSample[] = []
  const sampler = sampleRss(watched, options.sampleSeconds * 1000, (sample) => {
    void heapUsedMiB(urls).then((mib) => {
      heapSamples.push({ at: sample.at, mib })
      const described = Object.keys(sample.mib).map((name) => `${name} ${sample.mib[name]?.toFixed(0)} MiB (heap ${mib[name]?.toFixed(0)})`)
      options.log(`  ${sample.at.toFixed(0).padStart(4)} s  ${described.join('  ')}  ready ${ready.arrivals.length - readyBefore}`)
    })
  })
  const run = await loadHttp(placeOrderThrough('steady', stack.gateway.url), {
    connections: Math.min(10, options.rate),
    durationSeconds: options.seconds,
    overallRate: options.rate,
  }).finally(sampler.stop)
  await ready.waitForCount(readyBefore + run.accepted, 30_000).catch((err: unknown) => options.log(`  ⚠ ${String(err)}`))
  // The first samples are taken as the load starts: the first window begins after them.
  const windowSeconds = Math.min(60, options.seconds / 3)
  const firstWindow = (sample: MiBSample) => sample.at > options.sampleSeconds / 2 && sample.at <= windowSeconds
  const lastWindow = (sample: MiBSample) => sample.at >= options.seconds - windowSeconds
  const first = rssFigures(watched, sampler.samples.filter(firstWindow))
  const last = rssFigures(watched, sampler.samples.filter(lastWindow))
  return {
    seconds: options.seconds,
    ratePerSecond: options.rate,
    placed: run.accepted,
    ready: ready.arrivals.length - readyBefore,
    refused: run.non2xx + run.errors,
    windowSeconds,
    first,
    last,
    growthPercent: Object.fromEntries(watched.map(({ name }) => [name, ((last[name]?.median ?? Number.NaN) / (first[name]?.median ?? Number.NaN) - 1) * 100])),
    heapFirst: rssFigures(watched, heapSamples.filter(firstWindow)),
    heapLast: rssFigures(watched, heapSamples.filter(lastWindow)),
    samples: sampler.samples,
    heapSamples,
  }
}
