import { execFile } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { deadLetterQueueFor } from '@restaurant/contracts/messages'
import { createSqliteAuditLog } from '../../src/stores/sqlite-audit-log.js'
import { until } from '../messaging/bus-harness.js'
import { declaredTopology, url } from '../messaging/rabbit-harness.js'

// The built CLI, as an operator runs it: `pnpm exec tsc -b` first.
const cli = fileURLToPath(new URL('../../dist/bin/dead-letters.js', import.meta.url))
const policy = { deliveryLimit: 5, retryDelaysMs: [50], setAsideMs: 100 }

/** A namespace of its own whose kitchen orders queue holds two dead letters, oldest first; deleted at teardown. */
async function withDeadLetters(t: Test) {
  const { namespace, topology, channel, depth } = await declaredTopology(t, policy)
  const { queue } = topology.queues.kitchenOrders
  for (const [index, greeting] of ['first', 'second'].entries()) {
    channel.sendToQueue(queue, Buffer.from(JSON.stringify({ greeting })), { persistent: true, correlationId: `order-${index + 1}` })
    await channel.waitForConfirms()
    const message = await channel.get(queue)
    if (!message) throw new Error('the message was not on its queue')
    channel.nack(message, false, false)
    await until('the dead letter', async () => (await depth(deadLetterQueueFor(queue))) === index + 1)
  }
  const dataDir = t.testdir()
  /** Runs the CLI on this namespace and DATA_DIR; resolves with how it ended rather than rejecting on a failure. */
  const run = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env = { PATH: process.env['PATH'], NODE_ENV: 'test', AMQP_URL: url, AMQP_NAMESPACE: namespace, DATA_DIR: dataDir }
      execFile(process.execPath, [cli, ...args], { env, timeout: 20_000 }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }))
    })
  return { namespace, topology, queue, channel, depth, run, dataDir }
}

t.test('listing shows how many dead letters each queue holds, with a sample of each and why it died, and leaves them in place', async (t) => {
  const { namespace, queue, depth, run } = await withDeadLetters(t)
  const { code, stdout } = await run()
  t.equal(code, 0)
  t.equal(
    stdout,
    [
      `dead letters on amqp://guest:***@127.0.0.1:5672, namespace ${namespace}`,
      `${queue}: 2`,
      '  [rejected] order-1 {"greeting":"first"}',
      '  [rejected] order-2 {"greeting":"second"}',
      `${namespace}.kitchen.cancellations: 0`,
      `${namespace}.waiter.order-status: 0`,
      `${namespace}.waiter.partner-events: 0`,
      `${namespace}.waiter.webhooks: 0`,
      '',
    ].join('\n'),
  )
  t.equal(await depth(deadLetterQueueFor(queue)), 2)
  t.equal((await run('list')).stdout, stdout, 'list is the default command, and listing again shows the same')
})

t.test('replay moves the oldest dead letter back onto its queue, marked as replayed and with a fresh retry budget', async (t) => {
  const { queue, channel, run } = await withDeadLetters(t)
  t.same(await run('replay', queue, '1'), { code: 0, stdout: `replayed 1 dead letters onto ${queue}\n`, stderr: '' })
  const replayed = await channel.get(queue, { noAck: true })
  t.equal(replayed && replayed.content.toString(), '{"greeting":"first"}')
  t.equal(replayed && replayed.properties.correlationId, 'order-1')
  t.match(replayed && replayed.properties.headers, { 'x-replayed': true })
  t.notOk(replayed && replayed.properties.headers?.['x-death'], 'its deaths are forgotten')
})

t.test("a replay is recorded in the audit log of the store's DATA_DIR, by the operator who ran it", async (t) => {
  const { queue, run, dataDir } = await withDeadLetters(t)
  await run('replay', queue, '1')
  const audit = await createSqliteAuditLog({ dataDir })
  t.teardown(() => audit.close())
  t.match(await audit.read({ limit: 10 }), [{ action: 'dead-letters.replayed', target: queue, detail: { limit: 1 }, actor: { subject: /^cli:/, roles: ['admin'] }, requestId: /^cli-/ }])
})

// Closing the connection without closing the channel first drops the last ack (amqplib #637): the last letter
// replayed would still be dead once the CLI exits.
t.test('a replay of N takes those N off the dead letters, so that none is replayed twice', async (t) => {
  const { queue, depth, run } = await withDeadLetters(t)
  await run('replay', queue, '1')
  await sleep(500)
  t.equal(await depth(queue), 1)
  t.equal(await depth(deadLetterQueueFor(queue)), 1, 'one dead letter left')
})

t.test('replay without N moves every dead letter back onto its queue', async (t) => {
  const { queue, depth, run } = await withDeadLetters(t)
  t.equal((await run('replay', queue)).stdout, `replayed 2 dead letters onto ${queue}\n`)
  await until('the dead letters acked', async () => (await depth(deadLetterQueueFor(queue))) === 0)
  t.equal(await depth(queue), 2)
})

t.test('an unknown command or queue is refused with the usage and the queues, and exit code 2', async (t) => {
  const { namespace, queue, depth, run } = await withDeadLetters(t)
  for (const args of [['purge'], ['replay'], ['replay', `${namespace}.nowhere`]]) {
    const { code, stdout, stderr } = await run(...args)
    t.equal(code, 2, args.join(' '))
    t.equal(stdout, '')
    t.match(stderr, /^usage:/)
    t.match(stderr, `queues: ${queue}, ${namespace}.kitchen.cancellations, ${namespace}.waiter.order-status, ${namespace}.waiter.partner-events, ${namespace}.waiter.webhooks\n`)
  }
  t.equal(await depth(deadLetterQueueFor(queue)), 2, 'nothing was touched')
})
