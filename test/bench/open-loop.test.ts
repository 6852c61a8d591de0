import t from 'tap'
import { outcomeOf, sendOnSchedule } from '../../bench/open-loop.js'
import { scheduleOf } from '../../bench/rate-schedule.js'

t.test('answers are told apart: 202s, other statuses by code, and requests that got none', async (t) => {
  const outcome = outcomeOf([{ status: 202, ms: 10 }, { status: 429, ms: 2 }, { status: undefined, ms: 10_000 }, { status: 202, ms: 30 }, { status: 503, ms: 4 }], 1.5, 20)
  t.match(outcome, { sent: 5, accepted: 2, otherStatuses: { 429: 1, 503: 1 }, unanswered: 1, maxLagMs: 1.5, seconds: 20 })
})

t.test('latency percentiles come from answered requests only', async (t) => {
  const outcome = outcomeOf([{ status: 202, ms: 10 }, { status: 202, ms: 20 }, { status: undefined, ms: 10_000 }], 0, 1)
  t.same(outcome.latencyMs, { p50: 10, p90: 20, p99: 20, max: 20 })
})

t.test('every request of the schedule is sent though none has been answered yet', async (t) => {
  const answers: (() => void)[] = []
  let sent = 0
  const run = sendOnSchedule(scheduleOf(2000, 0.05), () => {
    sent += 1
    return new Promise((resolve) => answers.push(() => resolve(202)))
  })
  while (sent < 100) await new Promise((resolve) => setImmediate(resolve))
  t.equal(answers.length, 100, 'all 100 were sent before any answer came')
  for (const answer of answers) answer()
  t.match(await run, { sent: 100, accepted: 100, unanswered: 0 })
})
