import fc from 'fast-check'
import t from 'tap'
import { canTransition, isCancellable, isTerminal, orderStatuses, statusRank } from '../src/order-status.js'

t.test('the happy path moves placed → accepted → cooking → ready', async (t) => {
  t.ok(canTransition('placed', 'accepted'))
  t.ok(canTransition('accepted', 'cooking'))
  t.ok(canTransition('cooking', 'ready'))
})

t.test('an order can be rejected until it cooks (an item may sell out while it waits for its station)', async (t) => {
  t.ok(canTransition('placed', 'rejected'))
  t.ok(canTransition('accepted', 'rejected'))
  for (const from of ['cooking', 'ready'] as const) t.notOk(canTransition(from, 'rejected'), from)
})

t.test('an order can be cancelled while placed or accepted, never once cooking', async (t) => {
  t.same(orderStatuses.filter(isCancellable), ['placed', 'accepted'])
  t.notOk(canTransition('cooking', 'cancelled'))
})

t.test('nothing leaves a terminal status', async (t) => {
  for (const from of ['ready', 'rejected', 'cancelled', 'failed'] as const) {
    t.ok(isTerminal(from), from)
    for (const to of orderStatuses) t.notOk(canTransition(from, to), `${from} → ${to}`)
  }
})

t.test('no status goes back or stays: every allowed transition raises the rank', async (t) => {
  for (const from of orderStatuses) {
    t.notOk(canTransition(from, from), `${from} → ${from}`)
    for (const to of orderStatuses.filter((to) => canTransition(from, to))) {
      t.ok(statusRank(to) > statusRank(from), `${from} → ${to}`)
    }
  }
})

t.test('any sequence of attempted moves only ever goes forward, and stops at a terminal status', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...orderStatuses), { maxLength: 30 }), (attempts) => {
      let current: (typeof orderStatuses)[number] = 'placed'
      for (const next of attempts) {
        if (!canTransition(current, next)) continue
        if (statusRank(next) <= statusRank(current) || isTerminal(current)) return false
        current = next
      }
      return true
    }),
    { numRuns: 1_000 },
  )
  t.pass('1,000 runs')
})
