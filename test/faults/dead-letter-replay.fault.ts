import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { deadLetterQueueFor, topologyFor } from '@restaurant/contracts/messages'
import { AMQP_URL, eventually, queueDepth } from '../support/isolation.js'
import { placeOrder } from '../support/order-client.js'
import { allTickets, ticketsOf } from '../support/scoring.js'
import { startStack } from '../support/stack.js'
import { scoreWitness } from '../support/witness.js'

const replayCommand = join(import.meta.dirname, '..', '..', 'shared', 'platform', 'dist', 'bin', 'dead-letters.js')

t.test('an order the broker dead-lettered after crash loops mid-cooking is finished, once, when its dead letter is replayed', async (t) => {
  // One redelivery allowed: the second crash in a row sends the order to the dead-letter queue, its ticket open.
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '1', AMQP_DELIVERY_LIMIT: '1' })
  t.teardown(stack.stop)
  const { kitchenOrders } = topologyFor(stack.run.namespace).queues
  const dead = deadLetterQueueFor(kitchenOrders.queue)
  const ticketOf = async (id: string) => (await allTickets(stack.kitchen.url)).find((order) => order.id === id)
  const { id } = await placeOrder(() => stack.gateway.url, 'crash-loop', Date.now() + 10_000, { items: [{ menuItemId: 'grilled-chicken', quantity: 2 }] })
  if (!id) throw new Error('the order was not accepted')

  let kills = 0
  while ((await queueDepth(dead)) === 0 && kills < 5) {
    await eventually(async () => ((await ticketOf(id))?.status === 'cooking' ? true : undefined), 20_000, 'the order to be cooking')
    await stack.restart('kitchen', 'SIGKILL')
    kills += 1
    await eventually(async () => ((await queueDepth(dead)) > 0 || (await ticketOf(id))?.status === 'cooking' ? true : undefined), 20_000, 'a redelivery or a dead letter')
  }
  const stranded = await ticketOf(id)
  t.equal(await queueDepth(dead), 1, `dead-lettered by the broker after ${kills} crashes`)
  t.equal(stranded?.status, 'cooking', 'its ticket is still open: nobody would finish it')

  const env = { PATH: process.env.PATH ?? '', NODE_ENV: 'test', AMQP_URL, AMQP_NAMESPACE: stack.run.namespace, DATA_DIR: stack.run.dataDir }
  const { stdout } = await promisify(execFile)(process.execPath, [replayCommand, 'replay', kitchenOrders.queue], { env })
  t.match(stdout, /replayed 1 dead letters/)
  const finished = await eventually(async () => {
    const ticket = await ticketOf(id)
    return ticket?.status === 'ready' ? ticket : undefined
  }, 40_000, 'the replayed order to be ready')

  const witness = scoreWitness(await ticketsOf(stack.kitchen.url, [id]), stack.records.endOf)
  t.comment(`crashes ${kills}, then one replay; ready ${Date.parse(finished.history.at(-1)?.at ?? '') - Date.parse(finished.placedAt)} ms after it was placed`)
  t.same(finished.history.map((entry) => entry.status), ['placed', 'accepted', 'cooking', 'ready'], 'each step once')
  t.same(
    { read: witness.read, finishedTwice: witness.unitsFinishedTwice, missing: witness.unitsMissing, completions: witness.completionProblems, overlaps: witness.overlaps },
    { read: 1, finishedTwice: [], missing: [], completions: [], overlaps: [] },
    'the witness shows each unit finished once, one completion, no cookings at once',
  )
  t.equal(await queueDepth(dead), 0)
})
