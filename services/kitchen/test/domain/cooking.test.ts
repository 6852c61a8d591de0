import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import t from 'tap'
import type { MenuItem } from '@restaurant/contracts/menu'
import type { Order, OrderLine } from '@restaurant/contracts/orders'
import { buildMenuItem } from '@restaurant/contracts/testing'
import { finishedAt, planBookings, resultOf, startsAt, unitsOf } from '../../src/domain/cooking.js'
import { booking, capacity, committedAt, starts, unit } from '../support/schedule-builders.js'

const menu: MenuItem[] = [
  buildMenuItem({ id: 'burger', prepSeconds: 8, station: 'grill' }),
  buildMenuItem({ id: 'fries', prepSeconds: 4, station: 'fry' }),
]
// A line as placed: what to cook, and how long a unit takes, are kept in it.
const line = (menuItemId: string, quantity: number): OrderLine => {
  const { station, prepSeconds } = menu.find((item) => item.id === menuItemId) ?? buildMenuItem({ id: menuItemId })
  return { menuItemId, name: menuItemId, station, quantity, unitPriceCents: 1, lineTotalCents: quantity, prepSeconds }
}
const order = (lines: Order['lines']) => ({ lines }) as Order
t.test('every unit of every line is cooked, at the menu time scaled by the speed factor', async (t) => {
  const units = unitsOf(order([line('burger', 2), line('fries', 1)]), menu, 0.5)
  t.same(units, [
    { unit: 0, menuItemId: 'burger', station: 'grill', prepMs: 4000 },
    { unit: 1, menuItemId: 'burger', station: 'grill', prepMs: 4000 },
    { unit: 2, menuItemId: 'fries', station: 'fry', prepMs: 2000 },
  ])
})

t.test('a line is cooked as it was ordered, whatever the menu says now; a line that kept no time takes the menu time', async (t) => {
  const ordered = { ...line('burger', 1), station: 'fry' as const, prepSeconds: 3 }
  const { prepSeconds: _, ...placedBeforeOptions } = line('fries', 1)
  t.same(unitsOf(order([ordered, placedBeforeOptions]), menu, 1), [
    { unit: 0, menuItemId: 'burger', station: 'fry', prepMs: 3000 },
    { unit: 1, menuItemId: 'fries', station: 'fry', prepMs: 4000 },
  ])
  t.same(unitsOf(order([line('retired-dish', 1)]), [], 1), [{ unit: 0, menuItemId: 'retired-dish', station: 'grill', prepMs: 5000 }], 'a dish gone from the menu is cooked still')
})

t.test('speed factor 0 cooks instantly, even on a busy station', async (t) => {
  const units = unitsOf(order([line('burger', 3)]), menu, 0)
  const plan = planBookings(capacity, [committedAt('grill', 0, 0, 9000)], [booking('a', 0, units)], 1000).get('a') ?? []
  t.same(starts(plan), [1000, 1000, 1000])
  t.equal(finishedAt(plan, 1000), 1000)
})

t.test('a station cooks as many units at once as its capacity, the rest wait for a free slot', async (t) => {
  const units = unitsOf(order([line('burger', 3), line('fries', 2)]), menu, 1)
  const plan = planBookings(capacity, [], [booking('a', 0, units)], 0).get('a') ?? []
  t.same(
    plan.map(({ menuItemId, slot, startMs, endMs }) => [menuItemId, slot, startMs, endMs]),
    [
      ['burger', 0, 0, 8000],
      ['burger', 1, 0, 8000],
      ['burger', 0, 8000, 16000],
      ['fries', 0, 0, 4000],
      ['fries', 0, 4000, 8000],
    ],
  )
})

t.test('a gap the committed units leave goes to the first waiting unit that fits it', async (t) => {
  const committed = [committedAt('fry', 0, 0, 1000), committedAt('fry', 0, 5000, 9000)]
  const plans = planBookings(capacity, committed, [booking('long', 1, [unit('fry', 6000)]), booking('short', 2)], 0)
  t.same(starts(plans.get('long')), [9000])
  t.same(starts(plans.get('short')), [1000])
})

t.test('a station with no capacity cannot be planned on', async (t) => {
  const salad = booking('a', 0, [unit('salad', 3000)])
  t.throws(() => planBookings({ ...capacity, salad: 0 }, [], [salad], 0), /station salad has no capacity/)
})

t.test('the start and end of a plan are those of its earliest and latest units, or now when it is empty', async (t) => {
  const plan = [committedAt('fry', 0, 3000, 7000), committedAt('grill', 0, 2000, 4000)]
  t.same([startsAt(plan, 0), finishedAt(plan, 0)], [2000, 7000])
  t.same([startsAt([], 500), finishedAt([], 500), finishedAt(plan, 9000)], [500, 500, 9000])
})

t.test('the result gives each item the times the witness recorded, and the total preparation time', async (t) => {
  const units = unitsOf(order([line('burger', 1), line('fries', 1)]), menu, 1)
  const iso = (ms: number) => new Date(ms).toISOString()
  const cooked = (unit: number, menuItemId: string, startMs: number, endMs: number) => [unit, { kitchen: 'k', unit, menuItemId, startedAt: iso(startMs), endedAt: iso(endMs) }] as const
  const result = resultOf(units, new Map([cooked(1, 'fries', 1000, 5000), cooked(0, 'burger', 0, 8000)]))
  t.equal(result.totalPrepMs, 8000)
  t.equal(result.startedAt, iso(0))
  t.equal(result.readyAt, iso(8000))
  t.same(result.items, [
    { menuItemId: 'burger', station: 'grill', startedAt: iso(0), endedAt: iso(8000) },
    { menuItemId: 'fries', station: 'fry', startedAt: iso(1000), endedAt: iso(5000) },
  ])
  t.throws(() => resultOf(units, new Map([cooked(0, 'burger', 0, 8000)])), /unit 1 was not finished/)
})

t.test('a line that kept no time, of a dish gone from the menu, cannot be cooked', async (t) => {
  const { prepSeconds: _, ...placedBeforeOptions } = line('pizza', 1)
  t.throws(() => unitsOf(order([placedBeforeOptions]), menu, 1), /not on the menu/)
})

const busyStations = ['grill', 'fry', 'salad'] as const
const capacityArb = fc.record({
  grill: fc.integer({ min: 1, max: 3 }),
  fry: fc.integer({ min: 1, max: 2 }),
  salad: fc.constant(1),
  drinks: fc.constant(1),
  dessert: fc.constant(1),
})
const unitArb = fc.record({ unit: fc.nat(40), menuItemId: fc.constant('item'), station: fc.constantFrom(...busyStations), prepMs: fc.nat(20) })
const waitingArb = fc.uniqueArray(
  fc.record({ orderId: fc.nat(30).map((n) => `o${n}`), priority: fc.nat(5), units: fc.array(unitArb, { minLength: 1, maxLength: 3 }) }),
  { selector: (booking) => booking.orderId, maxLength: 8 },
)
/** Committed units on each slot: back to back from at or before `now`, or (withGaps) with idle time between. */
function scenarioArb(withGaps: boolean) {
  const runArb = fc.record({
    firstStart: fc.integer({ min: -10, max: withGaps ? 10 : 0 }),
    pieces: fc.array(fc.record({ idle: fc.nat(withGaps ? 10 : 0), length: fc.integer({ min: 1, max: 15 }) }), { maxLength: 3 }),
  })
  return capacityArb.chain((capacity) => {
    const slots = busyStations.flatMap((station) => Array.from({ length: capacity[station] }, (_, slot) => ({ station, slot })))
    const arb = fc.record({ now: fc.nat(30), runs: fc.array(runArb, { minLength: slots.length, maxLength: slots.length }), waiting: waitingArb })
    return arb.map(({ now, runs, waiting }) => {
      const committed = runs.flatMap((run, index) => {
        let freeFrom = now + run.firstStart
        return run.pieces.map(({ idle, length }) => {
          freeFrom += idle + length
          return committedAt(slots[index]!.station, slots[index]!.slot, freeFrom - length, freeFrom)
        })
      })
      return { capacity, committed, waiting, now }
    })
  })
}

t.test('no slot ever holds two overlapping units, none starts before now, each is on a slot of its station', async (t) => {
  fc.assert(
    fc.property(scenarioArb(true), ({ capacity, committed, waiting, now }) => {
      const planned = [...planBookings(capacity, committed, waiting, now).values()].flat()
      if (planned.some((unit) => unit.startMs < now || unit.slot >= capacity[unit.station])) return false
      const busy = [...committed, ...planned].filter((unit) => unit.endMs > unit.startMs)
      return busy.every((a, i) => busy.every((b, j) => i === j || a.station !== b.station || a.slot !== b.slot || a.endMs <= b.startMs || b.endMs <= a.startMs))
    }),
    { numRuns: 2_000 },
  )
  t.pass('2,000 runs')
})

t.test('removing a waiting booking never delays another while committed work leaves no idle gap', async (t) => {
  fc.assert(
    fc.property(scenarioArb(false), ({ capacity, committed, waiting, now }) => {
      const plans = planBookings(capacity, committed, waiting, now)
      return waiting.every((removed) => {
        const without = planBookings(capacity, committed, waiting.filter((other) => other !== removed), now)
        return [...without].every(([orderId, plan]) => startsAt(plan, now) <= startsAt(plans.get(orderId) ?? [], now))
      })
    }),
    { numRuns: 2_000 },
  )
  t.pass('2,000 runs')
})

t.test('with idle gaps, first fit can delay a unit that filled a gap when an earlier order moves up', async (t) => {
  const committed = [committedAt('fry', 0, 5, 10)]
  const waiting = [booking('a', 1, [unit('fry', 2)]), booking('c', 2, [unit('fry', 4)]), booking('b', 3, [unit('fry', 3)])]
  t.same(starts(planBookings(capacity, committed, waiting, 0).get('b')), [2])
  t.same(starts(planBookings(capacity, committed, waiting.slice(1), 0).get('b')), [10])
})

t.test('planning is deterministic and does not depend on the order the waiting bookings come in', async (t) => {
  const arb = scenarioArb(true).chain((scenario) =>
    fc.record({ scenario: fc.constant(scenario), shuffled: fc.shuffledSubarray(scenario.waiting, { minLength: scenario.waiting.length }) }),
  )
  fc.assert(
    fc.property(arb, ({ scenario: { capacity, committed, waiting, now }, shuffled }) => {
      const plans = planBookings(capacity, committed, waiting, now)
      return isDeepStrictEqual(plans, planBookings(capacity, committed, waiting, now)) && isDeepStrictEqual(plans, planBookings(capacity, committed, shuffled, now))
    }),
    { numRuns: 1_000 },
  )
  t.pass('1,000 runs')
})
