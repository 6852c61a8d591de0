import { setTimeout as sleep } from 'node:timers/promises'
import fc from 'fast-check'
import t from 'tap'
import { statusRank, type OrderStatus } from '@restaurant/contracts/order-status'
import type { Order } from '@restaurant/contracts/orders'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { buildViews } from './redis-harness.js'

/** Every way an order can go through the lifecycle, from placed to a terminal status. */
const lifecycles: OrderStatus[][] = [
  ['placed', 'accepted', 'cooking', 'ready'],
  ['placed', 'rejected'],
  ['placed', 'cancelled'],
  ['placed', 'accepted', 'cancelled'],
  ['placed', 'failed'],
  ['placed', 'accepted', 'failed'],
  ['placed', 'accepted', 'cooking', 'failed'],
]

/** The kitchen's snapshots along a lifecycle: each status event carries the whole record so far. */
function snapshots(path: OrderStatus[]): Order[] {
  const placed = buildOrder()
  return path.slice(1).reduce((all, status) => [...all, withStatus(all.at(-1) ?? placed, status)], [placed])
}

/** A lifecycle's events, each delivered at least once, some more than once, in any order, with delays. */
const deliveries = fc
  .constantFrom(...lifecycles)
  .chain((path) =>
    fc
      .array(fc.nat({ max: path.length - 1 }), { maxLength: 6 })
      .chain((duplicates) => {
        const indexes = [...path.keys(), ...duplicates]
        return fc.tuple(fc.constant(path), fc.shuffledSubarray(indexes, { minLength: indexes.length }), fc.array(fc.nat({ max: 5 }), { minLength: indexes.length, maxLength: indexes.length }))
      }),
  )

t.test('applied one by one in any order and repeated, events never move a view backwards and end at the model', async (t) => {
  const { views } = buildViews(t)
  await fc.assert(
    fc.asyncProperty(deliveries, async ([path, order]) => {
      const events = snapshots(path)
      let furthest = -1
      for (const index of order) {
        await views.apply(events[index] as Order)
        const stored = await views.get(events[0]?.id ?? '')
        const rank = statusRank(stored?.status ?? 'placed')
        if (rank < furthest) return false
        furthest = Math.max(furthest, statusRank(events[index]?.status ?? 'placed'))
      }
      return JSON.stringify(await views.get(events[0]?.id ?? '')) === JSON.stringify(events.at(-1))
    }),
    { numRuns: 150 },
  )
  t.pass('150 runs')
})

t.test('applied at once with random delays, events end at the model', async (t) => {
  const { views } = buildViews(t)
  await fc.assert(
    fc.asyncProperty(deliveries, async ([path, order, delays]) => {
      const events = snapshots(path)
      await Promise.all(order.map(async (index, i) => {
        await sleep(delays[i] ?? 0)
        await views.apply(events[index] as Order)
      }))
      return JSON.stringify(await views.get(events[0]?.id ?? '')) === JSON.stringify(events.at(-1))
    }),
    { numRuns: 150 },
  )
  t.pass('150 runs')
})
