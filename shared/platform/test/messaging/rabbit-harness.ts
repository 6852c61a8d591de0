import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import amqp, { type GetMessage } from 'amqplib'
import { pino } from 'pino'
import type { Test } from 'tap'
import { deadLetterQueueFor, topologyFor } from '@restaurant/contracts/messages'
import type { Bus } from '../../src/messaging/bus.js'
import { connectBus, type BusOptions } from '../../src/messaging/rabbit-bus.js'
import type { QueuePolicy } from '../../src/messaging/queue-policy.js'
import { assertTopology, deleteTopology } from '../../src/messaging/rabbit-topology.js'
import { keptLogs, ownQueuesOf, within, type BusHarness, type DeadLetterSeen } from './bus-harness.js'

export const url = 'amqp://guest:guest@127.0.0.1:5672'

const execFileAsync = promisify(execFile)

/** A topology of its own declared on a confirm channel, deleted at teardown. */
export async function declaredTopology(t: Test, policy: QueuePolicy) {
  const namespace = `test-${randomUUID()}`
  const topology = topologyFor(namespace)
  const connection = await within(10_000, 'RabbitMQ', amqp.connect(url))
  t.teardown(async () => {
    await deleteTopology(await connection.createChannel(), topology, policy).catch(() => undefined)
    await connection.close()
  })
  const channel = await connection.createConfirmChannel()
  await assertTopology(channel, topology, policy)
  const depth = async (queue: string) => (await channel.checkQueue(queue)).messageCount
  return { namespace, topology, connection, channel, depth }
}

async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('rabbitmqctl', ['-q', ...args], { timeout: 20_000 })
  return stdout
}

/** Pids of the broker's connections whose client named itself `name` (the bus's connectionName). */
export async function connectionPids(name: string): Promise<string[]> {
  const lines = (await rabbitmqctl('list_connections', 'pid', 'client_properties')).split('\n')
  return lines.filter((line) => line.includes(`{"connection_name","${name}"}`)).map((line) => line.split('\t')[0] ?? '')
}

/** Has the broker close the bus's connection, as an operator or a failing node would. */
export async function forceClose(name: string): Promise<string> {
  const [pid, ...others] = await connectionPids(name)
  if (!pid || others.length > 0) throw new Error(`expected one connection named ${name}, found ${others.length + (pid ? 1 : 0)}`)
  await rabbitmqctl('close_connection', pid, 'test: closed by the broker')
  return pid
}

/** How the broker holds a queue: its type and whether it is exclusive, auto-delete and durable. */
export async function queueProperties(queue: string): Promise<Record<string, string>> {
  const columns = ['name', 'type', 'exclusive', 'auto_delete', 'durable']
  const rows = (await rabbitmqctl('list_queues', ...columns)).split('\n').map((line) => line.split('\t'))
  const row = rows.find(([name]) => name === queue) ?? []
  return Object.fromEntries(columns.slice(1).map((column, i) => [column, row[i + 1] ?? '']))
}

/** The queues bound to `routingKey` on `exchange`, as the broker lists its bindings. */
export async function queuesBoundTo(exchange: string, routingKey: string): Promise<string[]> {
  const rows = (await rabbitmqctl('list_bindings', 'source_name', 'destination_name', 'routing_key')).split('\n').map((line) => line.split('\t'))
  return rows.filter(([source, , key]) => source === exchange && key === routingKey).map(([, destination]) => destination ?? '')
}

/**
 * A namespace of its own, buses on it whose log lines are kept, and a raw amqplib channel to look at and
 * feed the queues. The teardown closes the buses, then deletes the namespace's queues and exchanges.
 */
export async function setup(t: Test) {
  const topology = topologyFor(`test-${randomUUID()}`)
  const { destination, logged, logLines } = keptLogs()
  const log = pino({ level: 'warn' }, destination)
  const buses: Bus[] = []
  const retryDelays = new Set<number>()
  const setAsides = new Set<number>()
  const admin = await within(10_000, 'RabbitMQ', amqp.connect(url))
  admin.on('error', () => undefined)
  const channel = await admin.createConfirmChannel()
  t.teardown(async () => {
    await Promise.all(buses.map((bus) => bus.close()))
    const cleanup = admin.createChannel().then(async (ch) => {
      for (const setAsideMs of setAsides) await deleteTopology(ch, topology, { retryDelaysMs: [...retryDelays], setAsideMs }).catch(() => undefined)
    })
    await within(10_000, 'topology deletion', cleanup)
    await admin.close()
  })

  const connect = async (overrides: Partial<BusOptions> = {}) => {
    const options: BusOptions = {
      urls: [url],
      topology,
      log,
      connectionName: `${topology.exchange}-${buses.length}`,
      prefetch: 10,
      confirmTimeoutMs: 5_000,
      heartbeatSeconds: 5,
      maxPendingPublishes: 1_000,
      deliveryLimit: 5,
      retryDelaysMs: [50],
      maxHoldMs: 5_000,
      setAsideMs: 100,
      ...overrides,
    }
    options.retryDelaysMs.forEach((delay) => retryDelays.add(delay))
    setAsides.add(options.setAsideMs)
    const bus = await within(10_000, 'the bus to connect', connectBus(options))
    buses.push(bus)
    return { bus, connectionName: options.connectionName }
  }
  const depth = async (queue: string) => (await channel.checkQueue(queue)).messageCount
  // A closed consumer's unacked messages return to the queue shortly after the close completes.
  const depthAfterClose = async (queue: string) => {
    await sleep(300)
    return depth(queue)
  }
  const publishRaw = async (routingKey: string, content: Buffer) => {
    channel.publish(topology.exchange, routingKey, content, { persistent: true, messageId: randomUUID() })
    await within(5_000, 'a raw publish confirm', channel.waitForConfirms())
  }
  const getAll = async (queue: string) => {
    const messages: GetMessage[] = []
    for (let message = await channel.get(queue, { noAck: true }); message; message = await channel.get(queue, { noAck: true })) {
      messages.push(message)
    }
    return messages
  }
  /** How many times a bus lost its connection (each loss is logged once, as an error). */
  const losses = () => logged('lost the connection to RabbitMQ; reconnecting')
  // A passive check of a queue closes its channel when it fails, so each gets a channel of its own. Another
  // connection's exclusive queue is there but locked (405); a missing one is not found (404).
  const queueExists = async (queue: string) => {
    const checking = await admin.createChannel()
    checking.on('error', () => undefined)
    try {
      await checking.checkQueue(queue)
      await checking.close()
      return true
    } catch (err) {
      return (err as { code?: number }).code !== 404
    }
  }
  return { topology, connect, channel, depth, depthAfterClose, publishRaw, getAll, queueExists, logged, logLines, losses }
}

/** The contract suites' view of a real broker: a namespace of its own, torn down with the test. */
export async function rabbitHarness(t: Test): Promise<BusHarness> {
  const { topology, connect, channel, depth, depthAfterClose, publishRaw, getAll, queueExists, logged, logLines, losses } = await setup(t)
  const names = new Map<Bus, string>()
  const connectNamed = async (settings?: Partial<BusOptions>) => {
    const { bus, connectionName } = await connect(settings)
    names.set(bus, connectionName)
    return bus
  }
  return {
    topology,
    connect: connectNamed,
    connectPeer: () => connectNamed(),
    queuesBoundTo: async (routingKey) => ownQueuesOf(topology, await queuesBoundTo(topology.exchange, routingKey)),
    queueExists,
    publishRaw,
    depth,
    depthAfterClose,
    takeDeadLetters: async (queue) => (await getAll(deadLetterQueueFor(queue))).map((message) => deadLetterSeen(queue, message)),
    unbind: (binding) => channel.unbindQueue(binding.queue, topology.exchange, binding.routingKey).then(() => undefined),
    loseConnection: (bus) => forceClose(names.get(bus) ?? '').then(() => undefined),
    logged,
    logLines,
    losses,
  }
}

function deadLetterSeen(queue: string, { content, properties }: GetMessage): DeadLetterSeen {
  const headers = (properties.headers ?? {}) as Record<string, unknown>
  const deaths = (headers['x-death'] ?? []) as Array<{ queue: string; reason: string }>
  const correlationId = properties.correlationId === undefined ? undefined : String(properties.correlationId)
  return { content, correlationId, headers, reason: deaths.find((death) => death.queue === queue)?.reason }
}
