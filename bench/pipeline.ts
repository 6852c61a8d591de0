import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ServiceProcess } from '../test/support/processes.js'
import type { Stack } from '../test/support/stack.js'
import { figuresByName } from './counter-deltas.js'
import { cpuMsPer, readCpu, type CpuReading } from './cpu-meter.js'
import { loadHttp } from './http-load.js'
import type { Watched } from './rss.js'
import type { ReadyOrders } from './ready-orders.js'
import { readCounters } from './service-metrics.js'
import { figuresOfFields, totalOf, type Figure } from './stats.js'
import { placeOrderThrough } from './requests.js'

export interface PipelineRun {
  kitchens: number
  orders: number
  ordersPerSecond: number
  /** Broker messages published (each confirmed, and consumed once) per order, from the services' /metrics. */
  publishesPerOrder: number
  deliveriesPerOrder: number
  /** CPU milliseconds per order, by process role. */
  cpuMsPerOrder: CpuReading
  non2xx: number
}

export interface PipelineFigures {
  ordersPerSecond: Figure
  publishesPerOrder: Figure
  deliveriesPerOrder: Figure
  cpuMsPerOrder: Record<string, Figure>
  non2xx: number
  runs: PipelineRun[]
}

export interface PipelineOptions {
  runs: number
  orders: number
  connections: number
  machine: Watched[]
  log: (line: string) => void
}

/**
 * `orders` orders as fast as 50 clients place them through the gateway, timed from the first POST to the
 * last order reaching `ready` on the staff stream, with one kitchen and with two, alternately. The second
 * kitchen is started for each of its runs (and warmed up with 200 orders) and stopped after it.
 */
export async function measurePipeline(stack: Stack, ready: ReadyOrders, options: PipelineOptions) {
  const one: PipelineRun[] = []
  const two: PipelineRun[] = []
  const place = (kitchens: ServiceProcess[], orders = options.orders) => placeAndWait(stack, ready, { ...options, kitchens, orders })
  const warmUp = (kitchens: ServiceProcess[]) => place(kitchens, Math.min(options.orders, 200))
  await warmUp([stack.kitchen])
  for (let round = 1; round <= options.runs; round++) {
    const single = await place([stack.kitchen])
    one.push(single)
    options.log(describe(round, single))
    const extra = await stack.addInstance('kitchen')
    try {
      await warmUp([stack.kitchen, extra])
      const double = await place([stack.kitchen, extra])
      two.push(double)
      options.log(describe(round, double))
    } finally {
      await extra.stop()
    }
  }
  return { oneKitchen: figuresOf(one), twoKitchens: figuresOf(two) }
}

export interface RunOptions {
  kitchens: ServiceProcess[]
  orders: number
  connections: number
  /** RabbitMQ and Redis, whose CPU counts too. */
  machine: Watched[]
}

/** One run: `orders` orders placed through the gateway, timed until the last is ready. */
export async function placeAndWait(stack: Stack, ready: ReadyOrders, { kitchens, orders, connections, machine }: RunOptions): Promise<PipelineRun> {
  const counted = [stack.waiter.internalUrl, ...kitchens.map((kitchen) => kitchen.internalUrl)]
  const watched: Watched[] = [...[stack.gateway, stack.waiter, ...kitchens].map((service) => ({ name: service.name, pid: service.child.pid ?? 0 })), ...machine]
  const before = await readCounters(counted)
  const cpuBefore = readCpu(watched)
  const alreadyReady = ready.arrivals.length
  const started = performance.now()
  const run = await loadHttp(placeOrderThrough('pipeline', stack.gateway.url), { connections, amount: orders, durationSeconds: 60 })
  await ready.waitForCount(alreadyReady + run.accepted, 60_000)
  const seconds = ((ready.arrivals.at(-1)?.at ?? performance.now()) - started) / 1000
  const cpuMsPerOrder = cpuMsPer(cpuBefore, readCpu(watched), run.accepted)
  // The kitchen acks an order after its last status is confirmed, a moment after the waiter saw `ready`.
  await sleep(500)
  const after = await readCounters(counted)
  return {
    kitchens: kitchens.length,
    orders: run.accepted,
    ordersPerSecond: run.accepted / seconds,
    publishesPerOrder: (after.publishes - before.publishes) / run.accepted,
    deliveriesPerOrder: (after.deliveries - before.deliveries) / run.accepted,
    cpuMsPerOrder,
    non2xx: run.non2xx + run.errors,
  }
}

function describe(round: number, run: PipelineRun): string {
  const problems = run.non2xx > 0 ? `  ⚠ ${run.non2xx} orders refused or unanswered` : ''
  return `  round ${round} ${run.kitchens} kitchen(s)  ${run.orders} orders  ${run.ordersPerSecond.toFixed(0)} orders/s  ${run.publishesPerOrder.toFixed(2)} publishes/order${problems}`
}

function figuresOf(runs: PipelineRun[]): PipelineFigures {
  return {
    ...figuresOfFields(runs, ['ordersPerSecond', 'publishesPerOrder', 'deliveriesPerOrder']),
    cpuMsPerOrder: figuresByName(runs.map((run) => run.cpuMsPerOrder)),
    non2xx: totalOf(runs, 'non2xx'),
    runs,
  }
}
