import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { freshLoadCustomer } from '../test/support/order-client.js'
import type { ReadyOrders } from './ready-orders.js'
import { meanTimesMs, readCounters, type MeanTimes } from './service-metrics.js'
import { figureOf, percentile, type Figure } from './stats.js'

export interface LatencyRun {
  ratePerSecond: number
  orders: number
  p50Ms: number
  p99Ms: number
  /** Where the time went, on average, from the services' own metrics. */
  meanMs: MeanTimes
  refused: number
}

export interface LatencyFigures {
  p50Ms: Figure
  p99Ms: Figure
  meanMs: Record<keyof MeanTimes, Figure>
  refused: number
  runs: LatencyRun[]
}

const body = JSON.stringify({ items: [{ menuItemId: 'fries', quantity: 1 }, { menuItemId: 'lemonade', quantity: 1 }] })

/**
 * POST → `ready` per order at a fixed rate, open loop: orders go out on schedule whether or not earlier
 * ones were answered, so a slow system is not given time to catch up (no coordinated omission).
 */
export async function measureReadyLatency(gatewayUrl: string, metricsUrls: string[], ready: ReadyOrders, rate: number, seconds: number): Promise<LatencyRun> {
  const total = Math.max(1, Math.round(rate * seconds))
  const sent: { id: string; sentAt: number }[] = []
  let refused = 0
  const keyPrefix = randomUUID()
  const customer = freshLoadCustomer()
  const placeOne = async (n: number) => {
    const sentAt = performance.now()
    const response = await fetch(`${gatewayUrl}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `${keyPrefix}-${n}`, ...customer },
      body,
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined)
    if (response?.status === 202) sent.push({ id: ((await response.json()) as { id: string }).id, sentAt })
    else {
      refused += 1
      await response?.body?.cancel()
    }
  }
  const before = await readCounters(metricsUrls)
  const started = performance.now()
  const pending: Promise<void>[] = []
  while (pending.length < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1)
    while (pending.length < due) pending.push(placeOne(pending.length))
    await sleep(1)
  }
  await Promise.all(pending)
  const latencies = await readyLatencies(ready, sent)
  const meanMs = meanTimesMs(before, await readCounters(metricsUrls))
  return { ratePerSecond: rate, orders: sent.length, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), meanMs, refused }
}

async function readyLatencies(ready: ReadyOrders, sent: { id: string; sentAt: number }[]): Promise<number[]> {
  const deadline = performance.now() + 30_000
  while (sent.some(({ id }) => !ready.readyAt.has(id))) {
    if (performance.now() > deadline) throw new Error('orders of the latency run never turned ready')
    await sleep(10)
  }
  return sent.map(({ id, sentAt }) => (ready.readyAt.get(id) ?? Number.NaN) - sentAt).sort((a, b) => a - b)
}

export function latencyFiguresOf(runs: LatencyRun[]): LatencyFigures {
  return {
    p50Ms: figureOf(runs.map((run) => run.p50Ms)),
    p99Ms: figureOf(runs.map((run) => run.p99Ms)),
    meanMs: {
      publishConfirm: figureOf(runs.map((run) => run.meanMs.publishConfirm)),
      placedToAccepted: figureOf(runs.map((run) => run.meanMs.placedToAccepted)),
      placedToCooking: figureOf(runs.map((run) => run.meanMs.placedToCooking)),
      placedToReady: figureOf(runs.map((run) => run.meanMs.placedToReady)),
    },
    refused: runs.reduce((sum, run) => sum + run.refused, 0),
    runs,
  }
}
