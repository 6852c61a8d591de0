import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import amqp, { type GetMessage } from 'amqplib'
import { pino } from 'pino'
import type { Test } from 'tap'
import { Type } from 'typebox'
import { topologyFor } from '@restaurant/contracts'
import { connectBus, type Bus, type BusOptions, type MessageContext } from '../../src/messaging/rabbit-bus.js'
import { deleteTopology } from '../../src/messaging/rabbit-topology.js'

export const url = 'amqp://guest:guest@127.0.0.1:5672'
export const Greeting = Type.Object({ greeting: Type.String() })

export interface Delivery {
  message: { greeting: string }
  context: MessageContext
  at: number
}

/** Rejects instead of hanging when a promise does not settle in time. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Polls until the condition holds; fails the wait, not the process, when it never does. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await sleep(20)
  }
}

/** A promise the test settles by hand, to hold a handler mid-flight. */
export function gate() {
  let open = () => {}
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { opened, open }
}

/** How a publish ended: 'confirmed', or the error code it was refused with. */
export function outcome(publish: Promise<void>): Promise<string> {
  return publish.then(
    () => 'confirmed',
    (err: { code?: string }) => err.code ?? String(err),
  )
}

const execFileAsync = promisify(execFile)

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

/**
 * A namespace of its own, buses on it whose log lines are kept, and a raw amqplib channel to look at and
 * feed the queues. The teardown closes the buses, then deletes the namespace's queues and exchanges.
 */
export async function setup(t: Test) {
  const topology = topologyFor(`test-${randomUUID()}`)
  const logs: Array<{ msg: string; level: number }> = []
  const log = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as { msg: string; level: number }) })
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
      url,
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
  const logged = (msg: string) => logs.filter((line) => line.msg === msg).length
  /** How many times a bus lost its connection (each loss is logged once, as an error). */
  const losses = () => logged('lost the connection to RabbitMQ; reconnecting')
  return { topology, connect, channel, depth, depthAfterClose, publishRaw, getAll, logged, losses }
}
