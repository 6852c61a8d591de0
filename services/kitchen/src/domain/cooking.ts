import type { CookedUnit } from '@restaurant/contracts/kitchen-api'
import type { MenuItem, Station } from '@restaurant/contracts/menu'
import type { KitchenResult, Order } from '@restaurant/contracts/orders'

/**
 * The cooking schedule. Each unit of each line takes its menu preparation time (scaled by the speed factor) on
 * one slot of its station; a station has `capacity` slots. Each slot is a timeline of busy intervals
 * [startMs, endMs): the committed units (cooking, or fixed to start) and the plans of the waiting orders, made
 * afresh in priority order whenever something changes, so a released booking gives its time to the next ones.
 */

export interface CookingUnit {
  /** Which of the order's units: its lines' units numbered from 0 in line order. */
  unit: number
  menuItemId: string
  station: Station
  prepMs: number
}

export interface ScheduledUnit extends CookingUnit {
  slot: number
  startMs: number
  endMs: number
}

export interface Booking {
  orderId: string
  /** Epoch ms the order was accepted: lower goes first (ties by orderId), so a place in line never moves back. */
  priority: number
  units: readonly CookingUnit[]
}

/** What the order's lines say to cook, as ordered: a dish changed on the menu since is cooked as it was. */
export function unitsOf(order: Order, menu: readonly MenuItem[], speedFactor: number): CookingUnit[] {
  const units = order.lines.flatMap((line) => {
    const prepSeconds = line.prepSeconds ?? prepSecondsOnMenu(menu, line.menuItemId)
    const unit = { menuItemId: line.menuItemId, station: line.station, prepMs: Math.round(prepSeconds * 1000 * speedFactor) }
    return Array.from({ length: line.quantity }, () => unit)
  })
  return units.map((unit, index) => ({ unit: index, ...unit }))
}

// For orders placed before lines carried their preparation time.
function prepSecondsOnMenu(menu: readonly MenuItem[], menuItemId: string): number {
  const item = menu.find((candidate) => candidate.id === menuItemId)
  if (!item) throw new Error(`menu item ${menuItemId} is not on the menu`)
  return item.prepSeconds
}

interface Gap {
  startMs: number
  endMs: number
}

/** The free gaps of one slot from `now` on, in time order; the last one never ends. */
function gapsAround(busy: readonly ScheduledUnit[], now: number): Gap[] {
  const gaps: Gap[] = []
  let freeFrom = now
  for (const unit of [...busy].sort((a, b) => a.startMs - b.startMs)) {
    if (unit.startMs > freeFrom) gaps.push({ startMs: freeFrom, endMs: unit.startMs })
    freeFrom = Math.max(freeFrom, unit.endMs)
  }
  gaps.push({ startMs: freeFrom, endMs: Infinity })
  return gaps
}

function freeGaps(capacity: Readonly<Record<Station, number>>, committed: readonly ScheduledUnit[], now: number) {
  const busy = new Map(Object.entries(capacity).map(([station, count]) => [station, Array.from({ length: count }, () => [] as ScheduledUnit[])]))
  for (const unit of committed) if (unit.endMs > now) busy.get(unit.station)?.[unit.slot]?.push(unit)
  return new Map([...busy].map(([station, slots]) => [station, slots.map((units) => gapsAround(units, now))]))
}

/**
 * Puts the unit at the start of the earliest gap that fits it, on any slot (ties: lowest slot), and shrinks that
 * gap from the front: placing never splits a gap, so the gaps stay as few as the committed units make them.
 */
function place(slots: Gap[][] | undefined, unit: CookingUnit, now: number): ScheduledUnit {
  if (!slots?.length) throw new Error(`station ${unit.station} has no capacity`)
  if (unit.prepMs === 0) return { ...unit, slot: 0, startMs: now, endMs: now }
  const fits = (gap: Gap) => gap.endMs - gap.startMs >= unit.prepMs
  // Every slot has a gap that fits: its last one never ends.
  const [first, ...others] = slots.map((gaps, slot) => ({ slot, gaps, gap: gaps.find(fits) as Gap }))
  const { slot, gaps, gap } = others.reduce((best, next) => (next.gap.startMs < best.gap.startMs ? next : best), first!)
  const startMs = gap.startMs
  gap.startMs += unit.prepMs
  if (gap.startMs === gap.endMs) gaps.splice(gaps.indexOf(gap), 1)
  return { ...unit, slot, startMs, endMs: startMs + unit.prepMs }
}

const byPriority = (a: Booking, b: Booking) =>
  a.priority - b.priority || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0)

/**
 * Plans the waiting bookings in priority order, each unit on the slot of its station where it can start earliest
 * (at or after `now`), in the earliest gap the committed units and the plans made before it leave on that slot.
 * Removing a booking never delays another while the committed units leave no idle gap after `now`. Where they do,
 * it can: a later unit that filled a gap may lose it to an earlier one moved up by the removal (first fit).
 */
export function planBookings(
  capacity: Readonly<Record<Station, number>>,
  committed: readonly ScheduledUnit[],
  waiting: readonly Booking[],
  now: number,
): Map<string, ScheduledUnit[]> {
  const gaps = freeGaps(capacity, committed, now)
  const plans = new Map<string, ScheduledUnit[]>()
  for (const booking of [...waiting].sort(byPriority)) {
    plans.set(booking.orderId, booking.units.map((unit) => place(gaps.get(unit.station), unit, now)))
  }
  return plans
}

export function startsAt(plan: readonly ScheduledUnit[], now: number): number {
  return plan.length === 0 ? now : plan.reduce((earliest, unit) => Math.min(earliest, unit.startMs), Infinity)
}

export function finishedAt(plan: readonly ScheduledUnit[], now: number): number {
  return plan.reduce((latest, unit) => Math.max(latest, unit.endMs), now)
}

/** The result of an order all of whose units were finished: each unit as the witness recorded its cooking. */
export function resultOf(units: readonly CookingUnit[], finished: ReadonlyMap<number, CookedUnit>): KitchenResult {
  const items = units.map(({ unit, menuItemId, station }) => {
    const cooked = finished.get(unit)
    if (!cooked?.endedAt) throw new Error(`unit ${unit} was not finished`)
    return { menuItemId, station, startedAt: cooked.startedAt, endedAt: cooked.endedAt }
  })
  const startedAt = Math.min(...items.map((item) => Date.parse(item.startedAt)))
  const readyAt = Math.max(...items.map((item) => Date.parse(item.endedAt)))
  return { items, startedAt: new Date(startedAt).toISOString(), readyAt: new Date(readyAt).toISOString(), totalPrepMs: readyAt - startedAt }
}
