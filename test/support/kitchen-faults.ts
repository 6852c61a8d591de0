import { execFile, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import amqp from 'amqplib'
import { routingKeys, topologyFor } from '@restaurant/contracts/messages'
import type { Order } from '@restaurant/contracts/orders'
import { AMQP_URL } from './isolation.js'

const run = promisify(execFile)

/** The process id inside a kitchen incarnation `${hostname}/${pid}/${random}`. */
export function pidOfIncarnation(kitchen: string): number | undefined {
  const pid = Number(kitchen.split('/').at(-2))
  return Number.isInteger(pid) ? pid : undefined
}

/**
 * Has the broker close every connection of one process, as it does to a client whose heartbeats stopped or an
 * operator's `close_connection`: the kitchens name their connections `kitchen ${hostname}/${pid}/${random}`.
 * Resolves with how many it closed. (RabbitMQ 3.10 lists the name only inside `client_properties`.)
 */
export async function closeBrokerConnections(pid: number): Promise<number> {
  const { stdout } = await run('rabbitmqctl', ['-s', 'list_connections', 'pid', 'client_properties'])
  const mine = stdout.split('\n').filter((line) => new RegExp(`"connection_name","kitchen [^"]*/${pid}/`).test(line))
  for (const line of mine) await run('rabbitmqctl', ['-q', 'close_connection', line.split('\t')[0] ?? '', 'test'])
  return mine.length
}

/**
 * Freezes a process for `ms` (SIGSTOP), as a long GC pause or a stalled VM would, then lets it carry on
 * (SIGCONT); it is resumed even when the wait is interrupted.
 */
export async function freeze(child: ChildProcess, ms: number): Promise<void> {
  child.kill('SIGSTOP')
  try {
    await sleep(ms)
  } finally {
    child.kill('SIGCONT')
  }
}

/**
 * Publishes order.placed messages straight to a run's exchange, beside the waiter's: a duplicate is what a
 * publish retried after a lost confirm looks like. Persistent, confirmed, with ids as the waiter gives them.
 */
export async function duplicatePublisher(namespace: string) {
  const connection = await amqp.connect(AMQP_URL)
  const channel = await connection.createConfirmChannel()
  const { exchange } = topologyFor(namespace)
  return {
    async publish(order: Order, fingerprint: string): Promise<void> {
      const content = Buffer.from(JSON.stringify({ order, fingerprint }))
      const properties = { persistent: true, mandatory: true, contentType: 'application/json', messageId: randomUUID(), correlationId: `duplicate-${order.id}` }
      await new Promise<void>((resolve, reject) => channel.publish(exchange, routingKeys.orderPlaced, content, properties, (err) => (err ? reject(err) : resolve())))
    },
    close: () => connection.close(),
  }
}
