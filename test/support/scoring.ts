import { setTimeout as sleep } from 'node:timers/promises'
import { isTerminal, type Order } from '@restaurant/shared'
import type { OrderRecord } from './order-client.js'
import { signedIdentity, staff } from './credentials.js'

export interface Score {
  attempted: number
  accepted: number
  terminal: number
  /** Accepted (202) but never reached a terminal status. */
  lost: string[]
  /** In the kitchen without any client having had a 202 for it. */
  unexpected: string[]
  /** Orders whose cooking was completed (an `order ready` transition logged) more than once. */
  cookedTwice: string[]
  /** Ready orders whose completion log line a SIGKILL cut off between the store write and the log. */
  unloggedCompletions: number
  redeliveries: number
}

/** Every ticket the kitchen holds, through its internal read API. */
export async function allTickets(kitchenUrl: string): Promise<Order[]> {
  const orders: Order[] = []
  let cursor: string | undefined
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) })
    const page = (await (await fetch(`${kitchenUrl}/internal/orders?${query}`, { headers: signedIdentity(staff) })).json()) as { orders: Order[]; nextCursor?: string }
    orders.push(...page.orders)
    cursor = page.nextCursor
  } while (cursor)
  return orders
}

function logLines(output: string): Array<Record<string, unknown>> {
  return output.split('\n').flatMap((line) => {
    try {
      return line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []
    } catch {
      return []
    }
  })
}

/**
 * Waits until every accepted order is terminal (or `timeoutMs` passes), then scores the run from the
 * kitchen's store and the logs of every kitchen process that ran.
 */
export async function scoreRun(records: OrderRecord[], kitchenUrl: () => string, kitchenLogs: () => string, timeoutMs: number): Promise<Score> {
  const accepted = new Set(records.flatMap((record) => (record.id ? [record.id] : [])))
  const deadline = Date.now() + timeoutMs
  let tickets = await allTickets(kitchenUrl())
  const openAccepted = () => [...accepted].filter((id) => !tickets.some((order) => order.id === id && isTerminal(order.status)))
  while (openAccepted().length > 0 && Date.now() < deadline) {
    await sleep(250)
    tickets = await allTickets(kitchenUrl())
  }
  const lines = logLines(kitchenLogs())
  const completions = new Map<string, number>()
  for (const line of lines) if (line.msg === 'order ready') completions.set(String(line.orderId), (completions.get(String(line.orderId)) ?? 0) + 1)
  const ready = tickets.filter((order) => order.status === 'ready')
  return {
    attempted: records.length,
    accepted: accepted.size,
    terminal: tickets.filter((order) => accepted.has(order.id) && isTerminal(order.status)).length,
    lost: openAccepted(),
    unexpected: tickets.filter((order) => !accepted.has(order.id)).map((order) => order.id),
    cookedTwice: [...completions].filter(([, count]) => count > 1).map(([id]) => id),
    unloggedCompletions: ready.filter((order) => !completions.has(order.id)).length,
    redeliveries: lines.filter((line) => line.msg === 'order delivered again; resuming where its ticket stands').length,
  }
}

export function summary(name: string, score: Score, extra: Record<string, string | number> = {}): string {
  const figures = { ...extra, attempted: score.attempted, accepted: score.accepted, terminal: score.terminal }
  const problems = { lost: score.lost.length, unexpected: score.unexpected.length, cookedTwice: score.cookedTwice.length }
  const notes = { unloggedCompletions: score.unloggedCompletions }
  const text = Object.entries({ ...figures, ...problems, redeliveries: score.redeliveries, ...notes }).map(([k, v]) => `${k} ${v}`)
  return `${name}: ${text.join(', ')}`
}
