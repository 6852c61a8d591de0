import t from 'tap'
import { cpuBudgetMs, cpuPerOrderGoals } from '../../bench/cpu-goals.js'
import { figureOf } from '../../bench/stats.js'

const atRate = (ratePerSecond: number, cpu: Record<string, number>, roundTrips: number) => ({
  ratePerSecond,
  cpuMsPerOrder: Object.fromEntries(Object.entries(cpu).map(([name, ms]) => [name, figureOf([ms])])),
  redisRoundTripsPerOrder: figureOf([roundTrips]),
})

t.test('every process of the budget and the whole machine get a goal at every rate, and so do the Redis round trips', async (t) => {
  const goals = cpuPerOrderGoals({ rates: [atRate(100, { machine: 2, gateway: 0.41, waiter: 0.5, kitchen: 0.2, rabbitmq: 0.6, redis: 0.1 }, 4), atRate(400, {}, 4.5)] })
  t.equal(goals.length, 2 * (Object.keys(cpuBudgetMs).length + 1))
  const at100 = Object.fromEntries(goals.slice(0, 7).map((goal) => [goal.name, goal.met]))
  t.same(at100, {
    'CPU ms per order, whole machine (100 orders/s)': true,
    'CPU ms per order, gateway (100 orders/s)': false,
    'CPU ms per order, waiter (100 orders/s)': true,
    'CPU ms per order, kitchen (100 orders/s)': true,
    'CPU ms per order, rabbitmq (100 orders/s)': false,
    'CPU ms per order, redis (100 orders/s)': true,
    'Redis round trips per order (100 orders/s)': true,
  })
  t.same(goals.slice(7).map((goal) => goal.met), [false, false, false, false, false, false, false], 'a process not measured misses, and so do 4.5 round trips')
})
