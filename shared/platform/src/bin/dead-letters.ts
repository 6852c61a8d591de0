#!/usr/bin/env node
import amqp from 'amqplib'
import { recordThen } from '../audit/audit-log.js'
import { cliCaller } from '../audit/cli-caller.js'
import { loadConfig, rabbitConfig, storeConfig } from '../runtime/config.js'
import { topologyFor } from '@restaurant/contracts/messages'
import { brokerUrls, memberRotation } from '../messaging/broker-members.js'
import { inspectDeadLetters, replayDeadLetters } from '../messaging/dead-letters.js'
import { redactUrl } from '../runtime/wait-for.js'
import { openAuditLog } from '../stores/open-audit-log.js'

const usage = `usage:
  npm run dead-letters                       how many dead letters each queue holds, with samples
  npm run dead-letters -- replay QUEUE [N]   move up to N (default all) back onto QUEUE, oldest first
uses AMQP_URL and AMQP_NAMESPACE like the services; a replay is recorded in the waiter's audit log (MONGO_URL or DATA_DIR)`

const [command = 'list', queue, limit] = process.argv.slice(2)
const { AMQP_URL, AMQP_NAMESPACE, ...store } = loadConfig({ AMQP_URL: rabbitConfig.AMQP_URL, AMQP_NAMESPACE: rabbitConfig.AMQP_NAMESPACE, ...storeConfig })
const topology = topologyFor(AMQP_NAMESPACE)
const queues = Object.values(topology.queues).map((binding) => binding.queue)

if (!['list', 'replay'].includes(command) || (command === 'replay' && !queues.includes(queue ?? ''))) {
  process.stderr.write(`${usage}\nqueues: ${queues.join(', ')}\n`)
  process.exit(2)
}

// The first of the broker's members that takes the connection: AMQP_URL may name a cluster's.
const { connection, url } = await memberRotation(brokerUrls(AMQP_URL)).connectInTurn((member) => amqp.connect(member))
const channel = await connection.createConfirmChannel()
try {
  if (command === 'list') {
    process.stdout.write(`dead letters on ${redactUrl(url)}, namespace ${AMQP_NAMESPACE}\n`)
    for (const summary of await inspectDeadLetters(channel, topology)) {
      process.stdout.write(`${summary.queue}: ${summary.deadLetters}\n`)
      for (const sample of summary.samples) process.stdout.write(`  [${sample.reason}] ${sample.correlationId} ${sample.body}\n`)
    }
  } else {
    const audit = await openAuditLog(store)
    const most = limit ? Number(limit) : Number.POSITIVE_INFINITY
    const entry = { action: 'dead-letters.replayed', target: queue, detail: { limit: limit ? most : 'all' } }
    const replayed = await recordThen(audit, cliCaller(), entry, () => replayDeadLetters(channel, queue ?? '', most)).finally(() => audit.close())
    process.stdout.write(`replayed ${replayed} dead letters onto ${queue}\n`)
  }
} finally {
  // The channel first: closing the connection alone can drop the last ack, and a replayed letter would stay dead too.
  await channel.close()
  await connection.close()
}
