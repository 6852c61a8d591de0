import t from 'tap'
import { placeOrders } from '../support/order-client.js'
import { scoreRun, summary } from '../support/scoring.js'
import { startStack } from '../support/stack.js'

t.test('the kitchen killed five times while 1,000 orders are in flight: none lost, none cooked twice', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0' })
  t.teardown(stack.stop)
  const load = placeOrders(() => stack.gateway.url, 1_000, { concurrency: 20, keyPrefix: 'kitchen-crash', deadlineMs: Date.now() + 120_000 })
  await stack.crashRepeatedly('kitchen', 5, 300)
  const records = await load
  const score = await scoreRun(records, () => stack.kitchen.url, () => stack.outputs('kitchen'), 60_000)
  t.comment(summary('kitchen SIGKILL ×5', score, { kills: 5 }))
  t.equal(score.accepted, 1_000, 'every order was accepted in the end')
  t.same(score.lost, [], 'no accepted order is lost')
  t.same(score.unexpected, [], 'no order exists that no client was told about')
  t.same(score.cookedTwice, [], 'no order was cooked twice')
  t.ok(score.redeliveries > 0, 'the kills caught orders in the middle of their processing')
})
