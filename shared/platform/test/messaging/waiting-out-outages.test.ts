import { pino } from 'pino'
import t from 'tap'
import type { MessageContext } from '../../src/messaging/bus.js'
import { waitingOutOutages } from '../../src/messaging/waiting-out-outages.js'
import { DependencyUnavailableError, HeldElsewhereError } from '../../src/runtime/errors.js'
import { keptLogs } from './bus-harness.js'
import { fakeTimer } from './fake-timer.js'

function contextAnd(maxHoldMs = 10_000) {
  const { destination, logged } = keptLogs()
  const context: MessageContext = { correlationId: 'corr', resumes: false, signal: new AbortController().signal, channelClosed: new AbortController().signal, log: pino({}, destination) }
  const timer = fakeTimer()
  return { context, timer, logged, waiting: { queue: 'q', maxHoldMs, timer } }
}

/** Work that fails with each error in turn, then succeeds; it keeps the context of every run. */
function failingWith(...errors: Error[]) {
  const runs: MessageContext[] = []
  const work = async (context: MessageContext) => {
    runs.push(context)
    const err = errors[runs.length - 1]
    if (err) throw err
  }
  return { work, runs }
}

t.test('work that must wait runs again with growing pauses until it succeeds, each run after the first resuming', async (t) => {
  const { context, timer, logged, waiting } = contextAnd()
  const { work, runs } = failingWith(...Array.from({ length: 5 }, () => new DependencyUnavailableError('Redis')))
  await waitingOutOutages(work, context, waiting)

  t.same(runs.map((run) => run.resumes), [false, true, true, true, true, true])
  t.equal(timer.slept.length, 5)
  timer.slept.forEach((ms, i) => {
    const pauseMs = Math.min(250 * 2 ** i, 5_000)
    t.ok(ms >= pauseMs / 2 && ms <= pauseMs, `pause ${i + 1} (${Math.round(ms)} ms) is within half of and all of ${pauseMs} ms`)
  })
  t.equal(logged('waiting before handling the message again'), 1, 'the wait is logged once when it starts')
  t.equal(logged('stopped waiting'), 1, 'and once when it ends')
})

t.test('an error that is not a wait is thrown at once, without a pause or a log', async (t) => {
  const { context, timer, logged, waiting } = contextAnd()
  const { work, runs } = failingWith(new Error('broken'))
  await t.rejects(waitingOutOutages(work, context, waiting), { message: 'broken' })
  t.equal(runs.length, 1)
  t.same(timer.slept, [])
  t.equal(logged('waiting before handling the message again'), 0)
})

t.test('past the longest hold the wait gives up with the last error', async (t) => {
  const { context, timer, waiting } = contextAnd(1_000)
  const { work, runs } = failingWith(...Array.from({ length: 50 }, (_, i) => new DependencyUnavailableError(`Redis ${i}`)))
  await t.rejects(waitingOutOutages(work, context, waiting), { code: 'DEPENDENCY_UNAVAILABLE' })
  t.ok(timer.now() <= 1_000, `never slept past the deadline (${Math.round(timer.now())} ms)`)
  t.ok(runs.length >= 3 && runs.length < 50, `gave up after ${runs.length} runs`)
})

t.test("a holder's retryAfterMs shortens the pause", async (t) => {
  const { context, timer, waiting } = contextAnd()
  const held = Object.assign(new HeldElsewhereError('order 1'), { retryAfterMs: 10 })
  const { work } = failingWith(held, held)
  await waitingOutOutages(work, context, waiting)
  t.ok(timer.slept.every((ms) => ms <= 10), `paused at most 10 ms (${timer.slept.map(Math.round).join(', ')})`)
})

t.test('an aborted signal ends the wait with the error', async (t) => {
  const { context, waiting } = contextAnd()
  const draining = new AbortController()
  draining.abort()
  const { work, runs } = failingWith(new DependencyUnavailableError('Redis'))
  await t.rejects(waitingOutOutages(work, { ...context, signal: draining.signal }, waiting), { code: 'DEPENDENCY_UNAVAILABLE' })
  t.equal(runs.length, 1)
})
