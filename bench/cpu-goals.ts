import type { RateFigures } from './fixed-rates.js'
import type { Goal } from './results.js'

/** Issue 18's CPU budget per order, POST through the gateway to `ready` at speed 0, in ms: the machine's and each process's. */
export const cpuBudgetMs: Record<string, number> = { machine: 2.0, gateway: 0.4, waiter: 0.5, kitchen: 0.5, rabbitmq: 0.5, redis: 0.15 }

const MAX_REDIS_ROUND_TRIPS = 4

/** The CPU budget and the Redis round trips per order, at every fixed rate: medians of its runs. */
export function cpuPerOrderGoals({ rates }: { rates: readonly Pick<RateFigures, 'ratePerSecond' | 'cpuMsPerOrder' | 'redisRoundTripsPerOrder'>[] }): Goal[] {
  return rates.flatMap(({ ratePerSecond, cpuMsPerOrder, redisRoundTripsPerOrder }) => [
    ...Object.entries(cpuBudgetMs).map(([process, budget]): Goal => {
      const value = cpuMsPerOrder[process]?.median ?? Number.NaN
      return { name: `CPU ms per order, ${process === 'machine' ? 'whole machine' : process} (${ratePerSecond} orders/s)`, value, target: `≤ ${budget}`, met: value <= budget, workload: 'pipeline' }
    }),
    {
      name: `Redis round trips per order (${ratePerSecond} orders/s)`,
      value: redisRoundTripsPerOrder.median,
      target: `≤ ${MAX_REDIS_ROUND_TRIPS}`,
      met: redisRoundTripsPerOrder.median <= MAX_REDIS_ROUND_TRIPS,
      workload: 'pipeline',
    },
  ])
}
