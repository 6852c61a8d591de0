import type { CookedUnit, TicketView } from '@restaurant/contracts/kitchen-api'
import type { Order } from '@restaurant/contracts/orders'
import { pidOfIncarnation } from './kitchen-faults.js'

/**
 * What the kitchens' witness says was really cooked: every unit each kitchen started, finished or abandoned,
 * and every claim (attempt) on each order. Counted here, never from log text.
 */

/** Two cookings of one unit whose times overlap: `ms` is how long both were at it. */
export interface Overlap {
  orderId: string
  unit: number
  kitchens: [string, string]
  ms: number
}

export interface WitnessScore {
  /** Tickets whose witness was read. */
  read: number
  /** Orders one unit of which was finished more than once. */
  unitsFinishedTwice: string[]
  /** Ready orders one unit of which was never finished. */
  unitsMissing: string[]
  /** Ready orders without exactly one attempt that committed the completion. */
  completionProblems: string[]
  overlaps: Overlap[]
  /** Attempts after each order's first: claims taken over from another holder. */
  takeovers: number
  /** The records of the first few orders cooked twice or at once by two kitchens, to show how it happened. */
  evidence: TicketView[]
}

/** When an entry's kitchen stopped cooking; undefined while it may still be at it. */
export type EndOfKitchen = (kitchen: string) => number | undefined

const at = (time: string) => Date.parse(time)

export function unitCount(order: Order): number {
  return order.lines.reduce((sum, line) => sum + line.quantity, 0)
}

function finishedCounts(ticket: TicketView): Map<number, number> {
  const counts = new Map<number, number>()
  for (const cooked of ticket.cookedUnits ?? []) if (cooked.endedAt) counts.set(cooked.unit, (counts.get(cooked.unit) ?? 0) + 1)
  return counts
}

export function finishedTwice(ticket: TicketView): boolean {
  return [...finishedCounts(ticket).values()].some((count) => count > 1)
}

/** The units 0..N-1 of the order that no entry finished. */
export function missingUnits(ticket: TicketView): number[] {
  const counts = finishedCounts(ticket)
  return Array.from({ length: unitCount(ticket.order) }, (_, unit) => unit).filter((unit) => !counts.has(unit))
}

export function completions(ticket: TicketView): number {
  return (ticket.cookingAttempts ?? []).filter((attempt) => attempt.endedAt).length
}

/** An entry's interval: to its end, else to when its kitchen ended (it died mid-unit), else to now. */
function intervalOf(cooked: CookedUnit, endOf: EndOfKitchen, now: number): [number, number] {
  const end = cooked.endedAt ?? cooked.abandonedAt
  return [at(cooked.startedAt), end ? at(end) : Math.min(endOf(cooked.kitchen) ?? now, now)]
}

export function overlapsOf(ticket: TicketView, endOf: EndOfKitchen, now = Date.now()): Overlap[] {
  const entries = ticket.cookedUnits ?? []
  const found: Overlap[] = []
  entries.forEach((a, i) => {
    for (const b of entries.slice(i + 1)) {
      if (a.unit !== b.unit) continue
      const [[aStart, aEnd], [bStart, bEnd]] = [intervalOf(a, endOf, now), intervalOf(b, endOf, now)]
      const ms = Math.min(aEnd, bEnd) - Math.max(aStart, bStart)
      if (ms > 0) found.push({ orderId: ticket.order.id, unit: a.unit, kitchens: [a.kitchen, b.kitchen], ms })
    }
  })
  return found
}

export function takeoversOf(ticket: TicketView): number {
  return Math.max((ticket.cookingAttempts ?? []).length - 1, 0)
}

export function scoreWitness(tickets: readonly TicketView[], endOf: EndOfKitchen = () => undefined): WitnessScore {
  const ready = tickets.filter((ticket) => ticket.order.status === 'ready')
  const now = Date.now()
  const overlaps = tickets.flatMap((ticket) => overlapsOf(ticket, endOf, now))
  const twice = tickets.filter(finishedTwice)
  const overlapping = new Set(overlaps.map((overlap) => overlap.orderId))
  return {
    read: tickets.length,
    unitsFinishedTwice: twice.map((ticket) => ticket.order.id),
    unitsMissing: ready.filter((ticket) => missingUnits(ticket).length > 0).map((ticket) => ticket.order.id),
    completionProblems: ready.filter((ticket) => completions(ticket) !== 1).map((ticket) => ticket.order.id),
    overlaps,
    takeovers: tickets.reduce((sum, ticket) => sum + takeoversOf(ticket), 0),
    evidence: tickets.filter((ticket) => finishedTwice(ticket) || overlapping.has(ticket.order.id)).slice(0, 3),
  }
}

/** How many overlaps, how long in all, and the longest. */
export function overlapFigures(overlaps: readonly Overlap[]) {
  return { count: overlaps.length, totalMs: overlaps.reduce((sum, overlap) => sum + overlap.ms, 0), maxMs: Math.max(0, ...overlaps.map((overlap) => overlap.ms)) }
}

/** Claim to release of every attempt that committed a completion. */
export function completingHoldsMs(tickets: readonly TicketView[]): number[] {
  return tickets.flatMap((ticket) => (ticket.cookingAttempts ?? []).flatMap((attempt) => (attempt.endedAt ? [at(attempt.endedAt) - at(attempt.startedAt)] : [])))
}

/**
 * After a kitchen process was killed: from the kill to the takeovers of the orders it held (an attempt of its
 * own left open, followed by another's), the first and the last, and how many it held.
 */
export function recoveryAfterKill(tickets: readonly TicketView[], pid: number, killedAt: number) {
  const delays = tickets.flatMap((ticket) => {
    const attempts = [...(ticket.cookingAttempts ?? [])].sort((a, b) => at(a.startedAt) - at(b.startedAt))
    return attempts.flatMap((attempt, i) => {
      const next = attempts[i + 1]
      const heldAtKill = pidOfIncarnation(attempt.kitchen) === pid && !attempt.endedAt && !attempt.abandonedAt
      return heldAtKill && next ? [at(next.startedAt) - killedAt] : []
    })
  })
  return { held: delays.length, firstMs: delays.length ? Math.min(...delays) : undefined, lastMs: delays.length ? Math.max(...delays) : undefined }
}

export function median(values: readonly number[]): number | undefined {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
}
