import t from 'tap'
import { placeOrders } from '../support/order-client.js'
import { scoreRun, summary } from '../support/scoring.js'
import { startStack } from '../support/stack.js'

t.test('the waiter killed three times while orders stream in: clients retry with their key, one order each', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0' })
  t.teardown(stack.stop)
  const load = placeOrders(() => stack.gateway.url, 1_000, { concurrency: 20, keyPrefix: 'waiter-crash', deadlineMs: Date.now() + 120_000 })
  await stack.crashRepeatedly('waiter', 3, 500)
  const records = await load
  const score = await scoreRun(records, () => stack.kitchen.url, () => stack.outputs('kitchen'), 60_000)
  const retried = records.filter((record) => record.attempts > 1).length
  // An order published by a killed waiter and answered by its successor: the kill hit between durable and 202.
  const placedLogs = stack.outputs('waiter').split('\n').filter((line) => line.includes('"msg":"order placed"')).length
  t.comment(summary('waiter SIGKILL ×3', score, { kills: 3, clientsThatRetried: retried, placedLogLines: placedLogs }))
  t.ok(retried > 0, 'clients met the crashes and retried')
  t.equal(score.accepted, 1_000)
  t.same(score.lost, [])
  t.same(score.unexpected, [], 'every order in the kitchen is one a client was told about')
  t.same(score.cookedTwice, [])
})
