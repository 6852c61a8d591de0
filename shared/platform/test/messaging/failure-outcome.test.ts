import t from 'tap'
import { failureOutcome } from '../../src/messaging/failure-outcome.js'
import { DependencyUnavailableError, GiveUpError, HandBackError, SetAsideError } from '../../src/runtime/errors.js'

const tiers = [100, 1_000]
const fails = new Error('fails')

t.test('what becomes of a failed message, case by case', async (t) => {
  const cases = [
    { name: 'a handler that hands it back', err: new HandBackError('not mine yet'), aborted: false, retries: 0, expected: { action: 'hand_back' } },
    { name: 'any failure once the delivery is aborted', err: fails, aborted: true, retries: 0, expected: { action: 'hand_back' } },
    { name: 'a handler that sets it aside', err: new SetAsideError('later'), aborted: false, retries: 0, expected: { action: 'set_aside' } },
    { name: 'a dependency away, even past the last tier', err: new DependencyUnavailableError('the store'), aborted: false, retries: 2, expected: { action: 'set_aside' } },
    { name: 'a handler that gives up, with tiers left', err: new GiveUpError('no more'), aborted: false, retries: 0, expected: { action: 'give_up' } },
    { name: 'a first failure', err: fails, aborted: false, retries: 0, expected: { action: 'retry', delayMs: 100 } },
    { name: 'a failure after one tier', err: fails, aborted: false, retries: 1, expected: { action: 'retry', delayMs: 1_000 } },
    { name: 'a failure past the last tier', err: fails, aborted: false, retries: 2, expected: { action: 'give_up' } },
  ]
  for (const { name, err, aborted, retries, expected } of cases) t.same(failureOutcome(err, { aborted, retries, retryDelaysMs: tiers }), expected, name)
})

t.test('without retry tiers a failure is given up at once', async (t) => {
  t.same(failureOutcome(fails, { aborted: false, retries: 0, retryDelaysMs: [] }), { action: 'give_up' })
})
