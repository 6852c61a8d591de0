import type { KitchenResult, MenuItem, Order, Station } from '@restaurant/shared'

/**
 * The cooking schedule, as plain data. Each unit of each line takes its menu preparation time (scaled by
 * the speed factor) on its station; a station works on `capacity` units at once, so a unit starts on the
 * slot of its station that frees up first.
 */

export interface CookingUnit {
  menuItemId: string
  station: Station
  prepMs: number
}

export interface ScheduledUnit extends CookingUnit {
  startMs: number
  endMs: number
}

/** When each slot of each station is next free (epoch ms). */
export type StationSlots = Readonly<Record<Station, readonly number[]>>

export function emptySlots(capacity: Readonly<Record<Station, number>>): StationSlots {
  const entries = Object.entries(capacity).map(([station, count]) => [station, Array<number>(count).fill(0)])
  return Object.fromEntries(entries) as Record<Station, number[]>
}

export function unitsOf(order: Order, menu: readonly MenuItem[], speedFactor: number): CookingUnit[] {
  return order.lines.flatMap((line) => {
    const item = menu.find((candidate) => candidate.id === line.menuItemId)
    if (!item) throw new Error(`menu item ${line.menuItemId} is not on the menu`)
    const unit = { menuItemId: item.id, station: item.station, prepMs: Math.round(item.prepSeconds * 1000 * speedFactor) }
    return Array.from({ length: line.quantity }, () => unit)
  })
}

/** Books every unit on the earliest free slot of its station, starting no earlier than `now`. */
export function schedule(slots: StationSlots, units: readonly CookingUnit[], now: number) {
  const next = Object.fromEntries(Object.entries(slots).map(([s, free]) => [s, [...free]])) as Record<Station, number[]>
  const scheduled = units.map((unit): ScheduledUnit => {
    const free = next[unit.station]
    if (!free || free.length === 0) throw new Error(`station ${unit.station} has no capacity`)
    const slot = free.indexOf(Math.min(...free))
    const startMs = Math.max(now, free[slot] ?? now)
    const endMs = startMs + unit.prepMs
    free[slot] = endMs
    return { ...unit, startMs, endMs }
  })
  return { scheduled, slots: next as StationSlots }
}

export function finishedAt(scheduled: readonly ScheduledUnit[], now: number): number {
  return Math.max(now, ...scheduled.map((unit) => unit.endMs))
}

export function resultOf(scheduled: readonly ScheduledUnit[]): KitchenResult {
  const startedAt = Math.min(...scheduled.map((unit) => unit.startMs))
  const readyAt = Math.max(...scheduled.map((unit) => unit.endMs))
  const iso = (ms: number) => new Date(ms).toISOString()
  return {
    items: scheduled.map(({ menuItemId, station, startMs, endMs }) => ({
      menuItemId,
      station,
      startedAt: iso(startMs),
      endedAt: iso(endMs),
    })),
    startedAt: iso(startedAt),
    readyAt: iso(readyAt),
    totalPrepMs: readyAt - startedAt,
  }
}

export interface Stations {
  /** Books the units on the earliest free slots; the stations stay booked for later orders. */
  book(units: readonly CookingUnit[], now: number): ScheduledUnit[]
}

/** The kitchen's stations, shared by every order this process cooks. */
export function createStations(capacity: Readonly<Record<Station, number>>): Stations {
  let slots = emptySlots(capacity)
  return {
    book(units, now) {
      const booked = schedule(slots, units, now)
      slots = booked.slots
      return booked.scheduled
    },
  }
}

export function startsAt(scheduled: readonly ScheduledUnit[], now: number): number {
  return scheduled.length === 0 ? now : Math.min(...scheduled.map((unit) => unit.startMs))
}
