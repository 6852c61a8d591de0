import { setTimeout as sleep } from 'node:timers/promises'
import { kitchenPaths, type TicketView } from '@restaurant/contracts/kitchen-api'
import { isTerminal } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'
import type { OrderRecord } from './order-client.js'
import { signedAsWaiter } from './credentials.js'
import { overlapFigures, scoreWitness, type EndOfKitchen, type WitnessScore } from './witness.js'

export interface Score {
  attempted: number
  accepted: number
  terminal: number
  /** Accepted (202) but never reached a terminal status. */
  lost: string[]
  /** In the kitchen without any client having had a 202 for it. */
  unexpected: string[]
  /** Orders one version of which was announced in two different states: two writers both won one step. */
  conflicting: string[]
  /** Orders a state of which was announced again, as a delivery that resumes does with what is stored. */
  announcedAgain: number
  /** What the kitchens' witness of the accepted orders says was cooked. */
  witness: WitnessScore
}

/** Where a run's outcome is read: the kitchens' store, what the broker carried, and when kitchens ended. */
export interface RunRecords {
  kitchenUrl: () => string
  announced: () => readonly Order[]
  endOf?: EndOfKitchen
}

// A read the kitchen does not answer in time fails rather than holding the test until its own timeout.
const READ_TIMEOUT_MS = 15_000
// The kitchen's internal API answers the waiter alone: the records are read as the waiter reads them.
const readTicketsAsWaiter = (url: string) => fetch(url, { headers: signedAsWaiter('GET', new URL(url).pathname), signal: AbortSignal.timeout(READ_TIMEOUT_MS) })

/** Every ticket the kitchen holds, through its internal read API. */
export async function allTickets(kitchenUrl: string): Promise<Order[]> {
  const orders: Order[] = []
  let cursor: string | undefined
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) })
    const page = (await (await readTicketsAsWaiter(`${kitchenUrl}/internal/orders?${query}`)).json()) as { orders: Order[]; nextCursor?: string }
    orders.push(...page.orders)
    cursor = page.nextCursor
  } while (cursor)
  return orders
}

/** The kitchen's record of each order (the order and its witness), `concurrency` reads at a time; unknown ids are left out. */
export async function ticketsOf(kitchenUrl: string, ids: readonly string[], concurrency = 8): Promise<TicketView[]> {
  const tickets: TicketView[] = []
  let next = 0
  const reader = async () => {
    for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
      const response = await readTicketsAsWaiter(`${kitchenUrl}${kitchenPaths.ticket(id)}`)
      if (response.status === 404) continue
      if (!response.ok) throw new Error(`reading ticket ${id}: ${response.status} ${await response.text()}`)
      tickets.push((await response.json()) as TicketView)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, reader))
  return tickets
}

/** The distinct states announced under each key (an order, or an order's version), and the keys announced again. */
function distinctStates(announced: readonly Order[], keyOf: (order: Order) => string) {
  const states = new Map<string, Set<string>>()
  const again = new Set<string>()
  for (const order of announced) {
    const state = JSON.stringify(order)
    const seen = states.get(keyOf(order)) ?? new Set<string>()
    if (seen.has(state)) again.add(order.id)
    states.set(keyOf(order), seen.add(state))
  }
  const twice = [...states].filter(([, seen]) => seen.size > 1).map(([key]) => key.split('@')[0] ?? key)
  return { twice: [...new Set(twice)], again }
}

/**
 * Waits until every accepted order is terminal (or `timeoutMs` passes), then scores the run from the
 * kitchen's store, the witness of every accepted order and the announcements the broker carried.
 */
export async function scoreRun(records: OrderRecord[], { kitchenUrl, announced, endOf }: RunRecords, timeoutMs: number): Promise<Score> {
  const accepted = new Set(records.flatMap((record) => (record.id ? [record.id] : [])))
  const deadline = Date.now() + timeoutMs
  // A kitchen restarting or too busy to answer is read again at the next poll.
  const latest = async (known: Order[]) => allTickets(kitchenUrl()).catch(() => known)
  let tickets = await latest([])
  const openAccepted = () => [...accepted].filter((id) => !tickets.some((order) => order.id === id && isTerminal(order.status)))
  while (openAccepted().length > 0 && Date.now() < deadline) {
    // Each poll reads every ticket: often enough to end the wait soon, seldom enough to leave the store to the kitchens.
    await sleep(1_000)
    tickets = await latest(tickets)
  }
  const versions = distinctStates(announced(), (order) => `${order.id}@${order.version}`)
  const witness = scoreWitness(await ticketsOf(kitchenUrl(), [...accepted]), endOf)
  return {
    attempted: records.length,
    accepted: accepted.size,
    terminal: tickets.filter((order) => accepted.has(order.id) && isTerminal(order.status)).length,
    lost: openAccepted(),
    unexpected: tickets.filter((order) => !accepted.has(order.id)).map((order) => order.id),
    conflicting: versions.twice,
    announcedAgain: versions.again.size,
    witness,
  }
}

export function summary(name: string, score: Score, extra: Record<string, string | number> = {}): string {
  const figures = { ...extra, attempted: score.attempted, accepted: score.accepted, terminal: score.terminal }
  const { witness } = score
  const overlaps = overlapFigures(witness.overlaps)
  const problems = {
    lost: score.lost.length,
    unexpected: score.unexpected.length,
    conflicting: score.conflicting.length,
    unitsFinishedTwice: witness.unitsFinishedTwice.length,
    unitsMissing: witness.unitsMissing.length,
    completionProblems: witness.completionProblems.length,
    overlaps: `${overlaps.count} (${overlaps.totalMs} ms in all, longest ${overlaps.maxMs} ms)`,
  }
  const text = Object.entries({ ...figures, ...problems, announcedAgain: score.announcedAgain, takeovers: witness.takeovers, ticketsRead: witness.read }).map(([k, v]) => `${k} ${v}`)
  return `${name}: ${text.join(', ')}`
}

/** Where the orders that got a 202 but have not ended stand in the kitchen right now: the work a fault hits. */
export async function openOrders(records: OrderRecord[], kitchenUrl: string): Promise<Record<string, number>> {
  const tickets = new Map((await allTickets(kitchenUrl)).map((order) => [order.id, order.status]))
  const open: Record<string, number> = { total: 0, notYetTaken: 0, placed: 0, accepted: 0, cooking: 0 }
  for (const { id } of records) {
    if (id === undefined) continue
    const status = tickets.get(id)
    if (status && isTerminal(status)) continue
    const where = status ?? 'notYetTaken'
    open.total = (open.total ?? 0) + 1
    open[where] = (open[where] ?? 0) + 1
  }
  return open
}
