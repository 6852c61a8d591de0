import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'
import { Type } from 'typebox'
import type { QueueBinding, RoutingKey, Topology } from '@restaurant/contracts/messages'
import type { Bus, ConsumeOptions, MessageContext } from '../../src/messaging/bus.js'
import type { DeliveryPolicy } from '../../src/messaging/delivery.js'
import type { QueuePolicy } from '../../src/messaging/queue-policy.js'

export const Greeting = Type.Object({ greeting: Type.String() })

export interface Delivery {
  message: { greeting: string }
  context: MessageContext
  at: number
}

/**
 * Consumes `binding`, recording each delivery before `attempt` runs with the number of deliveries so far (it
 * throws to fail, wait or hand back); the record grows as deliveries come.
 */
export async function recordDeliveries(
  bus: Bus,
  binding: QueueBinding,
  attempt: (count: number) => void,
  options?: ConsumeOptions<Delivery['message']>,
): Promise<Delivery[]> {
  const calls: Delivery[] = []
  await bus.consume(binding, Greeting, async (message, context) => {
    calls.push({ message, context, at: Date.now() })
    attempt(calls.length)
  }, options)
  return calls
}

export type BusSettings = Partial<QueuePolicy & DeliveryPolicy & { prefetch: number }>

export interface DeadLetterSeen {
  content: Buffer
  correlationId: string | undefined
  headers: Record<string, unknown>
  /** Why it died on its own queue: 'rejected' or 'delivery_limit'. */
  reason: string | undefined
}

/** What the contract suites need of a bus and of the broker behind it; one per test, torn down with it. */
export interface BusHarness {
  topology: Topology
  connect(settings?: BusSettings): Promise<Bus>
  /** Puts bytes on the exchange as they are, past any schema. */
  publishRaw(routingKey: RoutingKey, content: Buffer): Promise<void>
  /** Messages ready on a queue, not counting those handed out. */
  depth(queue: string): Promise<number>
  /** The depth once the unacked messages of a closed bus are back on their queue. */
  depthAfterClose(queue: string): Promise<number>
  /** Takes the dead letters of a work queue, oldest first. */
  takeDeadLetters(queue: string): Promise<DeadLetterSeen[]>
  unbind(binding: QueueBinding): Promise<void>
  /**
   * A bus for another instance, on the broker of the last one connected: a connection of its own on RabbitMQ;
   * in memory, where a bus is its own broker, that bus again.
   */
  connectPeer(): Promise<Bus>
  /** The instances' own queues bound to the routing key, as the broker lists them (not the topology's named ones). */
  queuesBoundTo(routingKey: RoutingKey): Promise<string[]>
  /** Whether the broker still holds the queue, whichever connection owns it. */
  queueExists(queue: string): Promise<boolean>
  /** The connection of `bus` is lost; it recovers by itself. */
  loseConnection(bus: Bus): Promise<void>
  /** How many log lines had this message. */
  logged(msg: string): number
  /** The log lines that had this message, with their fields. */
  logLines(msg: string): LogLine[]
  /** How many times a bus lost its connection. */
  losses(): number
}

export type HarnessFor = (t: Test) => Promise<BusHarness>

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

export function isConnected(bus: Bus): boolean {
  try {
    bus.assertConnected()
    return true
  } catch {
    return false
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

/** A pino destination that keeps the lines, and a count of those with a message. */
export function keptLogs() {
  const lines: LogLine[] = []
  return {
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
    logged: (msg: string) => lines.filter((line) => line.msg === msg).length,
    logLines: (msg: string) => lines.filter((line) => line.msg === msg),
    lines,
  }
}

export type LogLine = { msg: string; level: number } & Record<string, unknown>

/** The queues that are no topology's named queue: the instances' own. */
export function ownQueuesOf(topology: Topology, queues: readonly string[]): string[] {
  const named = new Set(Object.values(topology.queues).map(({ queue }) => queue))
  return queues.filter((queue) => !named.has(queue))
}
