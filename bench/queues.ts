import { setTimeout as sleep } from 'node:timers/promises'
import amqp from 'amqplib'
import { topologyFor } from '@restaurant/contracts/messages'
import { AMQP_URL } from '../test/support/isolation.js'

/**
 * The run's work queues, seen from outside the services: intake runs leave thousands of orders for the
 * kitchen, which are dropped between runs so that every run starts from the same quiet system.
 */
export async function openQueues(namespace: string) {
  const connection = await amqp.connect(AMQP_URL)
  // A broker restarting under the run fails the next call rather than the whole process.
  connection.on('error', () => undefined)
  const channel = await connection.createChannel()
  const { kitchenOrders, waiterStatus } = topologyFor(namespace).queues
  const depth = async () =>
    (await channel.checkQueue(kitchenOrders.queue)).messageCount + (await channel.checkQueue(waiterStatus.queue)).messageCount

  return {
    depth,
    /** Drops the orders no kitchen has taken yet, then waits until the kitchen and the waiter are idle. */
    async drainOrders(): Promise<void> {
      await channel.purgeQueue(kitchenOrders.queue)
      for (let quietChecks = 0; quietChecks < 2; ) {
        await sleep(100)
        quietChecks = (await depth()) === 0 ? quietChecks + 1 : 0
      }
    },
    close: () => connection.close().catch(() => undefined),
  }
}
