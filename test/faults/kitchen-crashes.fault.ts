import t from 'tap'
import { assertEveryOrderOnce, ordersThroughCrashes } from '../support/crash-run.js'
import { summary } from '../support/scoring.js'

t.test('the kitchen killed five times while 1,000 orders are in flight: none lost, none cooked twice', async (t) => {
  const { score } = await ordersThroughCrashes(t, 'kitchen', 5, 300)
  t.comment(summary('kitchen SIGKILL ×5', score, { kills: 5 }))
  assertEveryOrderOnce(t, score)
  t.ok(score.announcedAgain > 0, 'the kills caught orders in the middle of their processing: their deliveries resumed')
})
