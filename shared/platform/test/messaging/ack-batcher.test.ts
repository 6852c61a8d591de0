import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Message } from 'amqplib'
import t from 'tap'
import { createAckBatcher } from '../../src/messaging/ack-batcher.js'

const delivery = (deliveryTag: number) => ({ fields: { deliveryTag } }) as Message

function recorded(failWith?: Error) {
  const sent: Array<[tag: number, multiple: boolean]> = []
  const unsent: number[] = []
  const channel = {
    ack(message: Message, multiple = false) {
      if (failWith) throw failWith
      sent.push([message.fields.deliveryTag, multiple])
    },
  }
  const closed = new AbortController()
  return { sent, unsent, closed, acks: createAckBatcher(channel, closed.signal, (deliveries) => unsent.push(deliveries)) }
}

t.test('acks of one turn go out as one multiple ack for the run from the oldest open delivery, the rest one by one', async (t) => {
  const { sent, acks } = recorded()
  const deliveries = [1, 2, 3, 4, 5].map(delivery)
  deliveries.forEach((message) => acks.delivered(message))
  for (const tag of [2, 1, 4]) acks.ack(delivery(tag))
  t.same(sent, [], 'nothing is sent within the turn')
  await nextTurn()
  t.same(sent, [[2, true], [4, false]], '1 and 2 in one frame; 4 waits on 3, so it goes alone')
  acks.settled(delivery(3))
  acks.ack(delivery(5))
  await nextTurn()
  t.same(sent.slice(2), [[5, true]], 'a rejected 3 closes the gap: 5 is the whole open run')
})

t.test('a flush sends what waits at once, and a turn with nothing to send sends nothing', async (t) => {
  const { sent, acks } = recorded()
  acks.delivered(delivery(1))
  acks.ack(delivery(1))
  acks.flush()
  t.same(sent, [[1, true]])
  await nextTurn()
  acks.flush()
  t.same(sent, [[1, true]], 'each ack goes once')
})

t.test('acks that cannot be sent are reported with their count', async (t) => {
  const { unsent, acks } = recorded(new Error('Channel closed'))
  ;[1, 2].map(delivery).forEach((message) => {
    acks.delivered(message)
    acks.ack(message)
  })
  await nextTurn()
  t.same(unsent, [2])
})

t.test('an ack asked for once the channel closed throws at once, for its caller to log with the delivery', async (t) => {
  const { sent, closed, acks } = recorded()
  acks.delivered(delivery(1))
  closed.abort(new Error('the channel closed'))
  t.throws(() => acks.ack(delivery(1)), { message: 'the channel closed' })
  await nextTurn()
  t.same(sent, [])
})
