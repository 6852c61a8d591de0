import t from 'tap'
import { renderCapacity } from '../../bench/capacity-report.js'
import { renderWorkCounts } from '../../bench/work-counts-report.js'
import type { WorkCounts } from '../../bench/work-counts.js'

t.test('every capacity step is listed with its p99; a miss is marked, and a step without figures shows n/a', async (t) => {
  const step = (ratePerSecond: number, p99Ms: number, held: boolean) => ({ ratePerSecond, held, orders: ratePerSecond * 8, refused: 0, p50Ms: p99Ms / 2, p99Ms })
  const table = renderCapacity({ p99BoundMs: 100, seconds: 8, warmUpSeconds: 2, firstWarmUpSeconds: 15, searches: [{ kitchens: 1, ordersPerSecond: 200, steps: [step(100, 40, true), step(200, 80, true), step(400, Number.NaN, false)] }] })
  t.match(table, '| 1 | 200 | 100 → 40, 200 → 80, 400 → n/a ✗ |')
})

t.test('when strace could not attach, the write syscalls are left out with its reason, the other counts kept', async (t) => {
  const counts: WorkCounts = {
    ratePerSecond: 400,
    seconds: 10,
    load: { sent: 4000, accepted: 4000, otherStatuses: {}, unanswered: 0, latencyMs: { p50: 5, p90: 9, p99: 20, max: 30 }, maxLagMs: 2, seconds: 10 },
    ordersReady: 4000,
    contextSwitchesPerOrder: { kitchen: 17.7 },
    amqp: { publishesPerOrder: 4, deliveriesPerOrder: 8 },
    trace: { unavailable: 'strace could not trace the kitchen: attach: ptrace(PTRACE_SEIZE, 42): Operation not permitted' },
  }
  const table = renderWorkCounts(counts)
  t.match(table, 'Write syscalls are left out: strace could not trace the kitchen: attach: ptrace(PTRACE_SEIZE, 42): Operation not permitted.')
  t.match(table, '| context switches, by process (all threads, not less idle) | kitchen 17.7 |')
  t.notMatch(table, 'write syscalls per state change')
})
