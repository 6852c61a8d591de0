import { randomUUID } from 'node:crypto'
import amqp from 'amqplib'
import { pino } from 'pino'
import t, { type Test } from 'tap'
import { topologyFor } from '@restaurant/contracts/messages'
import { memberRotation } from '../../src/messaging/broker-members.js'
import { openSession, type Opening, type Session } from '../../src/messaging/rabbit-session.js'
import { deleteTopology } from '../../src/messaging/rabbit-topology.js'
import { freePort } from '../../../../test/support/processes.js'
import { keptLogs, until, within } from './bus-harness.js'
import { url } from './rabbit-harness.js'

const policy = { deliveryLimit: 5, retryDelaysMs: [50], setAsideMs: 100 }

/** Opening a session on a topology of its own, deleted at teardown; `lost` keeps the sessions reported lost. */
function opening(t: Test, onOpen: Opening['onOpen'] = async () => undefined, { urls = [url], log = pino({ level: 'silent' }) } = {}) {
  const topology = topologyFor(`test-${randomUUID()}`)
  const lost: Session[] = []
  const stopping = new AbortController()
  const options = { ...policy, urls, topology, log, connectionName: topology.exchange, confirmTimeoutMs: 5_000, heartbeatSeconds: 5 }
  t.teardown(async () => {
    stopping.abort()
    const admin = await amqp.connect(url)
    await deleteTopology(await admin.createChannel(), topology, policy).catch(() => undefined)
    await admin.close()
  })
  const members = memberRotation(options.urls)
  return { opening: { options, stopping: stopping.signal, onOpen, onLost: (session) => void lost.push(session), members } satisfies Opening, topology, lost }
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

t.test('a member that refuses is passed over for the next, and the log says which member took the connection', async (t) => {
  const refusing = `amqp://guest:guest@127.0.0.1:${await freePort()}`
  const { destination, lines } = keptLogs()
  const { opening: how } = opening(t, undefined, { urls: [refusing, url], log: pino({}, destination) })
  const session = await within(10_000, 'the session', openSession(how))
  t.teardown(() => session.connection.close().catch(() => undefined))
  t.match(lines, [{ msg: 'connected to RabbitMQ', member: 'amqp://guest:***@127.0.0.1:5672', refusedBy: [refusing.replace(':guest@', ':***@')] }])
  t.equal(lines.length, 1, 'no wait while a member takes the connection')
})

t.test('while no member takes the connection, the wait names every member and why each refused', async (t) => {
  const members = [`amqp://guest:guest@127.0.0.1:${await freePort()}`, `amqp://guest:guest@127.0.0.1:${await freePort()}`]
  const { destination, lines } = keptLogs()
  const { opening: how } = opening(t, undefined, { urls: members, log: pino({}, destination) })
  // Given up at teardown, when the opening is stopped.
  void openSession(how).catch(() => undefined)
  await until('a wait to be logged', () => lines.length > 0)
  const masked = members.map((member) => member.replace(':guest@', ':***@'))
  t.match(lines[0], { msg: 'waiting for a dependency to start', dependency: `RabbitMQ at ${masked.join(',')}` })
  t.match(lines[0]?.['err'], `no member took the connection: ${masked[0]} (connect ECONNREFUSED`)
})
