import t from 'tap'
import { assertEveryOrderOnce, ordersThroughCrashes } from '../support/crash-run.js'
import { summary } from '../support/scoring.js'

t.test('the waiter killed three times while orders stream in: clients retry with their key, one order each', async (t) => {
  const { stack, records, score } = await ordersThroughCrashes(t, 'waiter', 3, 500)
  const retried = records.filter((record) => record.attempts > 1).length
  // An order published by a killed waiter and answered by its successor: the kill hit between durable and 202.
  const placedLogs = stack.outputs('waiter').split('\n').filter((line) => line.includes('"msg":"order placed"')).length
  t.comment(summary('waiter SIGKILL ×3', score, { kills: 3, clientsThatRetried: retried, placedLogLines: placedLogs }))
  t.ok(retried > 0, 'clients met the crashes and retried')
  assertEveryOrderOnce(t, score)
})
