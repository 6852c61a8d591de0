import { randomUUID } from 'node:crypto'
import amqp from 'amqplib'
import { pino } from 'pino'
import t, { type Test } from 'tap'
import { topologyFor } from '@restaurant/contracts/messages'
import { openSession, type Opening, type Session } from '../../src/messaging/rabbit-session.js'
import { deleteTopology } from '../../src/messaging/rabbit-topology.js'
import { until, within } from './bus-harness.js'
import { url } from './rabbit-harness.js'

const policy = { deliveryLimit: 5, retryDelaysMs: [50], setAsideMs: 100 }

/** Opening a session on a topology of its own, deleted at teardown; `lost` keeps the sessions reported lost. */
function opening(t: Test, onOpen: Opening['onOpen'] = async () => undefined) {
  const topology = topologyFor(`test-${randomUUID()}`)
  const lost: Session[] = []
  const stopping = new AbortController()
  const options = { ...policy, url, topology, log: pino({ level: 'silent' }), connectionName: topology.exchange, confirmTimeoutMs: 5_000, heartbeatSeconds: 5 }
  t.teardown(async () => {
    stopping.abort()
    const admin = await amqp.connect(url)
    await deleteTopology(await admin.createChannel(), topology, policy).catch(() => undefined)
    await admin.close()
  })
  return { opening: { options, stopping: stopping.signal, onOpen, onLost: (session) => void lost.push(session) } satisfies Opening, topology, lost }
}

t.test('a session is open, its topology declared and onOpen done, before it is returned', async (t) => {
  const opened: Session[] = []
  const { opening: how, topology } = opening(t, async (session) => void opened.push(session))
  const session = await within(10_000, 'the session', openSession(how))
  t.teardown(() => session.connection.close().catch(() => undefined))
  t.same(opened, [session])
  t.notOk(session.closed)
  const channel = await session.connection.createChannel()
  t.equal((await channel.checkQueue(topology.queues.kitchenOrders.queue)).messageCount, 0)
  await channel.close()
})

t.test('a session whose onOpen fails is closed, not kept', async (t) => {
  const opened: Session[] = []
  const { opening: how } = opening(t, async (session) => {
    opened.push(session)
    throw new Error('could not subscribe')
  })
  await t.rejects(openSession(how), /could not subscribe/)
  await until('the half-prepared connection to close', () => opened[0]?.closed === true)
})

t.test('a session whose connection closes is marked closed and reported lost once', async (t) => {
  const { opening: how, lost } = opening(t)
  const session = await within(10_000, 'the session', openSession(how))
  await session.connection.close()
  await until('the loss to be reported', () => lost.length === 1)
  t.ok(session.closed)
  t.same(lost, [session])
})
