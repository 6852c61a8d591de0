import type { Station } from '@restaurant/contracts/menu'
import type { Booking, CookingUnit, ScheduledUnit } from '../../src/domain/cooking.js'

/** Test data for the schedule: units, bookings and committed units, on a small kitchen. */
export const capacity = { grill: 2, fry: 1, salad: 1, drinks: 1, dessert: 1 }
export const unit = (station: Station, prepMs: number, menuItemId: string = station): CookingUnit => ({ unit: 0, menuItemId, station, prepMs })
export const fries = unit('fry', 4000, 'fries')
export const burger = unit('grill', 8000, 'burger')
export const booking = (orderId: string, priority: number, units: CookingUnit[] = [fries]): Booking => ({ orderId, priority, units })
export const committedAt = (station: Station, slot: number, startMs: number, endMs: number): ScheduledUnit => ({
  ...unit(station, endMs - startMs),
  slot,
  startMs,
  endMs,
})
export const starts = (plan: ScheduledUnit[] | undefined) => plan?.map((scheduled) => scheduled.startMs)
