import t from 'tap'
import { deadLetterQueueFor, routingKeys } from '@restaurant/contracts/messages'
import { inspectDeadLetters, replayDeadLetters } from '../../src/messaging/dead-letters.js'
import { Greeting, until } from './bus-harness.js'
import { setup } from './rabbit-harness.js'

t.test('dead letters are counted with samples, left in place, and replayed onto their queue with a fresh retry budget', async (t) => {
  const { topology, connect, channel, depth, publishRaw } = await setup(t)
  const { queue } = topology.queues.kitchenOrders
  const handled: string[] = []
  const resumed: boolean[] = []
  const { bus } = await connect()
  let healthy = false
  await bus.consume(topology.queues.kitchenOrders, Greeting, async ({ greeting }, { resumes }) => {
    if (!healthy) throw new Error('the handler fails')
    handled.push(greeting)
    resumed.push(resumes)
  })
  for (const greeting of ['first', 'second', 'third']) await publishRaw(routingKeys.orderPlaced, Buffer.from(JSON.stringify({ greeting })))
  await until('three dead letters', async () => (await depth(deadLetterQueueFor(queue))) === 3, 10_000)

  const [summary] = await inspectDeadLetters(channel, topology, 3)
  t.match(summary, { queue, deadLetters: 3 })
  const deadOrder = summary?.samples.map((sample) => (JSON.parse(sample.body) as { greeting: string }).greeting) ?? []
  t.same([...deadOrder].sort(), ['first', 'second', 'third'])
  t.ok(summary?.samples.every((sample) => sample.reason === 'rejected'), 'each says why it died')
  t.equal(await depth(deadLetterQueueFor(queue)), 3, 'inspecting leaves them where they are')
  const [again] = await inspectDeadLetters(channel, topology, 3)
  t.same(again?.samples.map((sample) => sample.body), summary?.samples.map((sample) => sample.body), 'and in their order')

  healthy = true
  t.equal(await replayDeadLetters(channel, queue, 2), 2, 'a limit replays only that many')
  t.equal(await replayDeadLetters(channel, queue, Number.POSITIVE_INFINITY), 1)
  await until('every replayed message handled', () => handled.length === 3, 10_000)
  t.same(handled, deadOrder, 'in the order they died')
  t.same(resumed, [true, true, true], 'each marked as replayed, so that its work resumes rather than be taken for a duplicate')
  t.equal(await depth(deadLetterQueueFor(queue)), 0)
})
