import fc from 'fast-check'
import t from 'tap'
import { buildOrder } from '@restaurant/contracts/testing'
import { decide, fingerprintOf, forgettableUntil, memoryOf, newestPlacedBefore, type Decision, type Evidence, type Memory } from '../../src/domain/idempotency.js'

const fingerprint = 'this-body'
const view = buildOrder({ table: 'from the view' })
const kitchenOrder = buildOrder({ table: 'from the kitchen' })
const reserved = (memory: Memory, earlier?: string) => (earlier === undefined ? { memory } : { earlier, memory })

const place: Decision = { kind: 'place' }
const refuse: Decision = { kind: 'refuse' }
const lookAtView: Decision = { kind: 'look', at: 'view' }
const lookAtKitchen: Decision = { kind: 'look', at: 'kitchen' }

const cases: [string, Omit<Evidence, 'fingerprint'>, Decision][] = [
  ['a new key, while Redis remembers every reservation, places at once', { reservation: reserved('complete') }, place],
  ['a key reserved with another body is refused', { reservation: reserved('complete', 'other-body') }, refuse],
  ['a key reserved with another body is refused, whatever Redis may have forgotten', { reservation: reserved('unknown', 'other-body') }, refuse],
  ['a retry with the same body looks at the view', { reservation: reserved('complete', fingerprint) }, lookAtView],
  ['a new key looks at the view while Redis may have forgotten it', { reservation: reserved('doubtful') }, lookAtView],
  ['a new key looks at the view while Redis has not been told what it remembers', { reservation: reserved('unknown') }, lookAtView],
  ['without a reservation (Redis away) the view is looked at', { reservation: undefined }, lookAtView],
  ['a retry answers with the order its view holds', { reservation: reserved('complete', fingerprint), view }, { kind: 'reuse', order: view }],
  ['a retry without a view asks the kitchen', { reservation: reserved('complete', fingerprint), view: null }, lookAtKitchen],
  ['without Redis and without a view, the kitchen is asked', { reservation: undefined, view: null }, lookAtKitchen],
  [
    "the kitchen's order placed with the same body is answered",
    { reservation: reserved('doubtful'), view: null, ticket: { order: kitchenOrder, fingerprint } },
    { kind: 'reuse', order: kitchenOrder },
  ],
  [
    "the kitchen's order placed with another body refuses the key",
    { reservation: reserved('doubtful'), view: null, ticket: { order: kitchenOrder, fingerprint: 'other-body' } },
    refuse,
  ],
  [
    "the kitchen's order without a fingerprint is answered",
    { reservation: undefined, view: null, ticket: { order: kitchenOrder } },
    { kind: 'reuse', order: kitchenOrder },
  ],
  ['neither a view nor a ticket: the order is placed', { reservation: reserved('unknown'), view: null, ticket: null }, place],
  ['a retry whose order nobody holds any more is placed again', { reservation: reserved('complete', fingerprint), view: null, ticket: null }, place],
]

t.test('the idempotency decision, case by case', async (t) => {
  for (const [name, evidence, expected] of cases) t.same(decide({ fingerprint, ...evidence }), expected, name)
})

const memories = fc.constantFrom<Memory>('complete', 'doubtful', 'unknown')
const evidences = fc.record({
  reservation: fc.option(fc.record({ earlier: fc.option(fc.constantFrom(fingerprint, 'other-body'), { nil: undefined }), memory: memories }), { nil: undefined }),
  view: fc.constantFrom(undefined, null, view),
  ticket: fc.constantFrom(undefined, null, { order: kitchenOrder }, { order: kitchenOrder, fingerprint }, { order: kitchenOrder, fingerprint: 'other-body' }),
})

t.test('the decision asks only for what it has not seen, the view before the kitchen', async (t) => {
  fc.assert(
    fc.property(evidences, ({ reservation, view, ticket }) => {
      const decision = decide({ fingerprint, reservation: reservation && { memory: reservation.memory, ...(reservation.earlier ? { earlier: reservation.earlier } : {}) }, view, ticket })
      if (decision.kind !== 'look') return true
      return decision.at === 'view' ? view === undefined : view === null && ticket === undefined
    }),
  )
  t.pass('for every evidence')
})

t.test('a reservation stored with another body is refused whatever else is known', async (t) => {
  fc.assert(fc.property(evidences, memories, ({ view, ticket }, memory) => decide({ fingerprint, reservation: reserved(memory, 'other-body'), view, ticket }).kind === 'refuse'))
  t.pass('for every evidence')
})

t.test('a missing reservation may have been forgotten until its newest order could no longer be retried', async (t) => {
  t.equal(forgettableUntil(undefined, 60), 0, 'no order: never')
  t.equal(forgettableUntil('2026-01-02T03:04:05.000Z', 60), Date.parse('2026-01-02T03:04:05.000Z') + 60_000)
})

t.test("Redis's memory is unknown until recorded, doubtful until the recorded time, complete after", async (t) => {
  const recorded = (doubtfulUntil: number) => ({ master: 'replid-1', doubtfulUntil })
  t.equal(memoryOf(undefined, 'replid-1', 1_000), 'unknown')
  t.equal(memoryOf(recorded(1_001), 'replid-1', 1_000), 'doubtful')
  t.equal(memoryOf(recorded(1_000), 'replid-1', 1_000), 'complete', 'the recorded time itself is past doubt')
  t.equal(memoryOf(recorded(0), 'replid-1', 1_000), 'complete')
})

t.test('a record learnt on another master leaves the memory of the master now unknown, however complete it was', async (t) => {
  t.equal(memoryOf({ master: 'replid-before-failover', doubtfulUntil: 0 }, 'replid-promoted', 1_000), 'unknown')
  t.equal(memoryOf({ master: 'replid-before-failover', doubtfulUntil: 2_000 }, 'replid-promoted', 1_000), 'unknown')
})

t.test('the newest order placed before Redis was found not to know is the one to doubt by', async (t) => {
  const noticedAt = new Date('2026-01-02T03:00:00.000Z')
  const at = (iso: string) => ({ placedAt: iso })
  const newestFirst = [at('2026-01-02T03:00:01.000Z'), at('2026-01-02T02:59:00.000Z'), at('2026-01-02T02:00:00.000Z')]
  t.equal(newestPlacedBefore(newestFirst, noticedAt, 100), '2026-01-02T02:59:00.000Z', 'orders placed since are skipped')
  t.equal(newestPlacedBefore([], noticedAt, 100), undefined, 'the kitchen holds no order')
  t.equal(newestPlacedBefore([at('2026-01-02T03:00:01.000Z')], noticedAt, 100), undefined, 'only later orders, on a page that is not full')
  t.equal(newestPlacedBefore([at('2026-01-02T03:00:01.000Z')], noticedAt, 1), noticedAt.toISOString(), 'a full page of later orders hides the earlier ones')
})

t.test('the fingerprint ignores key order but not content', async (t) => {
  const a = fingerprintOf({ items: [{ menuItemId: 'burger', quantity: 1 }], table: '1' })
  const b = fingerprintOf({ table: '1', items: [{ quantity: 1, menuItemId: 'burger' }] })
  const c = fingerprintOf({ table: '1', items: [{ quantity: 2, menuItemId: 'burger' }] })
  t.equal(a, b)
  t.not(a, c)
})
