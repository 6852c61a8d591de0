import type { Test } from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import type { Claim, StartedUnit } from '../../src/domain/claims.js'
import { ClaimTakenOverError, type TicketStore } from '../../src/use-cases/ticket-store.js'

/** The contract's claims, fencing and witness: every store keeps them by key, so each number and record is unique. */
export function claimsContract(t: Test, makeStore: (t: Test) => Promise<TicketStore>): void {
  t.test('the first insert of a claim number wins and a second insert of that number is refused', async (t) => {
    const store = await makeStore(t)
    const order = buildOrder()
    t.equal(await store.insertClaim(buildClaim(order, 1, { holder: 'first' })), true)
    t.equal(await store.insertClaim(buildClaim(order, 1, { holder: 'second' })), false)
    t.strictSame((await store.claims(order.id)).map((claim) => claim.holder), ['first'])
  })

  t.test("an order's claims are read oldest first, without storage fields, and only its own", async (t) => {
    const store = await makeStore(t)
    const [order, other] = [buildOrder(), buildOrder()]
    const claims = [1, 2, 3].map((number) => buildClaim(order, number))
    for (const claim of [...claims].reverse()) await store.insertClaim(claim)
    await store.insertClaim(buildClaim(other, 1))
    t.strictSame(await store.claims(order.id), claims)
    t.strictSame(await store.claims(buildOrder().id), [], 'an order without claims has none')
  })

  t.test('updateClaim changes only the fields it names, of that claim only', async (t) => {
    const store = await makeStore(t)
    const order = buildOrder()
    const [first, second] = [buildClaim(order, 1), buildClaim(order, 2)]
    await store.insertClaim(first)
    await store.insertClaim(second)
    await store.updateClaim(order.id, 1, {})
    t.strictSame(await store.claims(order.id), [first, second], 'a change of nothing changes nothing')
    await store.updateClaim(order.id, 1, { abandonedAt: instant(30) })
    t.strictSame(await store.claims(order.id), [{ ...first, abandonedAt: instant(30) }, second])
  })

  t.test('a kitchen lease is stored, read back by its id and renewed, only itself', async (t) => {
    const store = await makeStore(t)
    const [lease, other] = [{ id: 'kitchen-1/a', kitchen: 'kitchen-1', expiresAt: 1_000 }, { id: 'kitchen-2/b', kitchen: 'kitchen-2', expiresAt: 2_000 }]
    await store.insertLease(lease)
    await store.insertLease(other)
    t.strictSame(await store.lease(lease.id), lease)
    await store.renewLease(lease.id, 5_000)
    t.strictSame(await store.lease(lease.id), { ...lease, expiresAt: 5_000 })
    t.strictSame(await store.lease(other.id), other, 'another lease is untouched')
    t.equal(await store.lease('kitchen-3/none'), undefined)
  })

  t.test('a fenced write by claim 1 throws once claim 2 exists and leaves the ticket as it was; claim 2 writes', async (t) => {
    const store = await makeStore(t)
    const placed = buildOrder()
    await store.insertIfAbsent({ order: placed })
    const accepted = withStatus(placed, 'accepted')
    await store.insertClaim(buildClaim(placed, 1))
    t.equal(await store.replaceIfStatus(accepted, 'placed', 1), true, 'claim 1 writes while it is the latest')
    await store.insertClaim(buildClaim(placed, 2))
    const cooking = withStatus(accepted, 'cooking')
    await t.rejects(store.replaceIfStatus(cooking, 'accepted', 1), new ClaimTakenOverError(1, placed.id))
    t.strictSame(await store.get(placed.id), { order: accepted, committedBy: 1 })
    t.equal(await store.replaceIfStatus(cooking, 'accepted', 2), true)
    t.strictSame(await store.get(placed.id), { order: cooking, committedBy: 2 })
  })

  t.test('a fenced write stores its claim as committedBy, and an unfenced write after it stores none', async (t) => {
    const store = await makeStore(t)
    const placed = buildOrder()
    await store.insertIfAbsent({ order: placed, fingerprint: 'fp' })
    await store.insertClaim(buildClaim(placed, 1))
    const accepted = withStatus(placed, 'accepted')
    await store.replaceIfStatus(accepted, 'placed', 1)
    t.strictSame(await store.get(placed.id), { order: accepted, fingerprint: 'fp', committedBy: 1 })
    const cancelled = withStatus(accepted, 'cancelled')
    await store.replaceIfStatus(cancelled, 'accepted')
    t.strictSame(await store.get(placed.id), { order: cancelled, fingerprint: 'fp' })
  })

  t.test('replaceIfStatus from the expected status but not from the version before is refused', async (t) => {
    const store = await makeStore(t)
    const placed = buildOrder()
    await store.insertIfAbsent({ order: placed })
    const accepted = withStatus(placed, 'accepted')
    t.equal(await store.replaceIfStatus({ ...accepted, version: placed.version }, 'placed'), false, 'the same version')
    t.equal(await store.replaceIfStatus({ ...accepted, version: placed.version + 2 }, 'placed'), false, 'a version skipped')
    t.strictSame(await store.get(placed.id), { order: placed })
  })

  t.test("a unit's start is read back, then its end: the first settlement stands", async (t) => {
    const store = await makeStore(t)
    const order = await placedWithUnits(store, 3)
    await store.insertClaim(buildClaim(order, 1))
    const started = buildCookedUnit(order, 1)
    await store.recordUnit(order.id, 1, started)
    await store.recordUnit(order.id, 1, started)
    t.strictSame(await store.cookedUnits(order.id), [started], 'a start recorded again is the same start')
    t.equal(await store.settleUnit(order.id, 1, 1, { endedAt: instant(40) }), true)
    t.equal(await store.settleUnit(order.id, 1, 1, { abandonedAt: instant(41) }), false, 'a second settlement is refused')
    t.strictSame(await store.cookedUnits(order.id), [{ ...started, endedAt: instant(40) }])
  })

  t.test("every claim's record of a unit is kept, by claim then unit", async (t) => {
    const store = await makeStore(t)
    const order = await placedWithUnits(store, 3)
    await store.insertClaim(buildClaim(order, 1))
    const records = [
      { claim: 1, cooked: buildCookedUnit(order, 2, { kitchen: 'k1' }), end: { endedAt: instant(45) } },
      { claim: 1, cooked: buildCookedUnit(order, 0, { kitchen: 'k1' }), end: { abandonedAt: instant(50) } },
    ]
    for (const { claim, cooked, end } of records) {
      await store.recordUnit(order.id, claim, cooked)
      await store.settleUnit(order.id, claim, cooked.unit, end)
    }
    await store.insertClaim(buildClaim(order, 2))
    const taker = buildCookedUnit(order, 0, { kitchen: 'k2' })
    await store.recordUnit(order.id, 2, taker)
    t.strictSame(await store.cookedUnits(order.id), [{ ...records[1]?.cooked, ...records[1]?.end }, { ...records[0]?.cooked, ...records[0]?.end }, taker])
  })

  t.test('once a later claim closed the earlier ones, no earlier holder can finish a unit, started before the close or after it', async (t) => {
    const store = await makeStore(t)
    const order = await placedWithUnits(store, 3)
    await store.insertClaim(buildClaim(order, 1))
    const [cooking, finished, late] = [0, 1, 2].map((unit) => buildCookedUnit(order, unit, { kitchen: 'k1' }))
    for (const unit of [cooking, finished]) if (unit) await store.recordUnit(order.id, 1, unit)
    await store.settleUnit(order.id, 1, 1, { endedAt: instant(45) })
    await store.insertClaim(buildClaim(order, 2))
    await store.closeEarlierClaims(order.id, 2, 3, instant(60))
    t.equal(await store.settleUnit(order.id, 1, 0, { endedAt: instant(70) }), false, 'a finish that comes after the close is refused')
    if (late) await store.recordUnit(order.id, 1, late)
    t.equal(await store.settleUnit(order.id, 1, 2, { endedAt: instant(75) }), false, 'so is one of a unit whose start comes after it')
    const units = await store.cookedUnits(order.id)
    t.match(units, [{ unit: 0, abandonedAt: instant(60) }, { unit: 1, endedAt: instant(45) }, { unit: 2 }], 'the open cooking was abandoned at the close; the finished one stands')
    t.notOk(units.some((unit) => unit.unit !== 1 && unit.endedAt), 'no unit but the one finished before the close is finished')
  })

  t.test('an unknown order has no cooked units', async (t) => {
    const store = await makeStore(t)
    t.strictSame(await store.cookedUnits(buildOrder().id), [])
  })
}

/** A placed order of one line of `units` burgers, stored. */
async function placedWithUnits(store: TicketStore, units: number): Promise<Order> {
  const base = buildOrder()
  const order = { ...base, lines: base.lines.map((line) => ({ ...line, quantity: units, lineTotalCents: units * line.unitPriceCents })) }
  await store.insertIfAbsent({ order })
  return order
}

function buildClaim(order: Order, number: number, overrides: Partial<Claim> = {}): Claim {
  return { orderId: order.id, number, holder: `holder-${number}`, kitchen: `kitchen-${number}`, startedAt: instant(number), lease: `kitchen-${number}/lease`, ...overrides }
}

function buildCookedUnit(order: Order, unit: number, overrides: Partial<StartedUnit> = {}): StartedUnit {
  return { kitchen: 'kitchen-1', unit, menuItemId: order.lines[0]?.menuItemId ?? 'classic-burger', startedAt: instant(10 + unit), ...overrides }
}

function instant(seconds: number): string {
  return new Date(Date.UTC(2026, 0, 1, 12, 0, seconds)).toISOString()
}
