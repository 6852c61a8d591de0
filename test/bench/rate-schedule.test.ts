import fc from 'fast-check'
import t from 'tap'
import { dueAtMs, dueBy, scheduleOf } from '../../bench/rate-schedule.js'

t.test('a run sends its rate times its seconds, and at least one request', async (t) => {
  t.equal(scheduleOf(200, 20).total, 4000)
  t.equal(scheduleOf(0.1, 2).total, 1)
  t.throws(() => scheduleOf(0, 20))
})

t.test('the first request is due at once, the rest one interval apart', async (t) => {
  const schedule = scheduleOf(200, 1)
  t.equal(dueBy(schedule, 0), 1)
  t.equal(dueBy(schedule, 4.9), 1)
  t.equal(dueBy(schedule, 5), 2)
  t.equal(dueAtMs(schedule, 3), 15)
  t.equal(dueBy(schedule, -1), 0)
})

t.test('the schedule never runs ahead of the rate, nor past its total', async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 120_000, noNaN: true }), (rate, seconds, elapsedMs) => {
      const schedule = scheduleOf(rate, seconds)
      const due = dueBy(schedule, elapsedMs)
      // Every request counted as due is due by now, and the next one is not.
      return due <= schedule.total && dueAtMs(schedule, due - 1) <= elapsedMs && (due === schedule.total || dueAtMs(schedule, due) > elapsedMs)
    }),
    { numRuns: 2_000 },
  )
  t.pass('2,000 runs')
})
