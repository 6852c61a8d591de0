import t from 'tap'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { DependencyUnavailableError } from '@restaurant/platform/runtime/errors'
import { ClaimTakenOverError, type TicketStore } from '../../src/use-cases/ticket-store.js'
import { currentOrder, fencedWrite, underClaim } from '../../src/use-cases/under-claim.js'
import { captureLogs } from '../support/log-capture.js'
import { buildKitchen, burgers, heldElsewhere, othersClaim, waitFor } from '../support/kitchen-harness.js'

t.test("a holder whose claim was taken over is fenced: the end of the unit in its hands is refused and counted, and its delivery waits", async (t) => {
  const built = await buildKitchen(t, { speedFactor: 1, leaseMs: 60_000 })
  const order = burgers(1)
  const fenced = t.rejects(built.kitchen.prepare({ order, fingerprint: 'fp' }, built.job()), heldElsewhere)
  await waitFor(async () => (await built.store.cookedUnits(order.id)).length === 1)
  // As a kitchen whose clock ran ahead would: it took the order over while this one still cooks.
  t.ok(await othersClaim(built.store, order.id, { number: 2, leaseEndsAt: 120_000 }))
  await built.clock.advance(8_000)
  await fenced
  t.equal((await built.store.get(order.id))?.order.status, 'cooking', 'the fenced holder wrote nothing')
  t.equal((await built.metrics.fencedWrites.get()).values[0]?.value, 1)
  t.match(await built.store.cookedUnits(order.id), [{ abandonedAt: new Date(8_000).toISOString() }], 'the witness says it stopped unfinished at its end: the taker cooks it')
})

/** underClaim on fakes of its ports: claims that hand out one recorded hold, stations that record what was freed. */
function fakes() {
  const ended: string[] = []
  const freed: string[] = []
  const hold = {
    claim: { orderId: 'o', number: 1, holder: 'k/1', kitchen: 'k', startedAt: '', lease: 'l' },
    signal: new AbortController().signal,
    check: () => undefined,
    stop: () => undefined,
    end: async (outcome: string) => void ended.push(outcome),
  }
  const deps = {
    store: {} as TicketStore,
    claims: { take: async () => hold, close: () => undefined },
    stations: { release: (id: string) => void freed.push(`release ${id}`), finish: (id: string) => void freed.push(`finish ${id}`) },
    metrics: { fencedWrites: { inc: () => undefined } },
  }
  const { log } = captureLogs()
  const job = { correlationId: 'c', signal: new AbortController().signal, channelClosed: new AbortController().signal, log }
  return { deps, job, ended, freed }
}

t.test('work that commits a ready order ends its claim completed and keeps its stations until its units end', async (t) => {
  const { deps, job, ended, freed } = fakes()
  await underClaim(deps, 'o', job, async () => withStatus(buildOrder(), 'ready'))
  t.same([ended, freed], [['completed'], ['finish o']])
})

t.test('work that committed another end, or nothing, frees the stations', async (t) => {
  const rejected = fakes()
  await underClaim(rejected.deps, 'o', rejected.job, async () => withStatus(buildOrder(), 'rejected'))
  t.same([rejected.ended, rejected.freed], [['completed'], ['release o']])
  const nothing = fakes()
  await underClaim(nothing.deps, 'o', nothing.job, async () => undefined)
  t.same([nothing.ended, nothing.freed], [['abandoned'], ['release o']])
})

t.test('work that fails abandons the claim and frees the stations, unless a dependency is away: then the plan is kept', async (t) => {
  const failing = fakes()
  await t.rejects(underClaim(failing.deps, 'o', failing.job, () => Promise.reject(new Error('bug'))), /bug/)
  t.same([failing.ended, failing.freed], [['abandoned'], ['release o']])
  const away = fakes()
  await t.rejects(underClaim(away.deps, 'o', away.job, () => Promise.reject(new DependencyUnavailableError('the ticket store'))), { code: 'DEPENDENCY_UNAVAILABLE' })
  t.same([away.ended, away.freed], [['abandoned'], []])
})

t.test('a write the store refuses for a later claim waits at once, as held elsewhere, and is counted', async (t) => {
  const { deps } = fakes()
  let fenced = 0
  const store = { replaceIfStatus: async () => Promise.reject(new ClaimTakenOverError(1, 'o')) } as unknown as TicketStore
  const hold = await deps.claims.take()
  await t.rejects(fencedWrite({ store, metrics: { fencedWrites: { inc: () => void fenced++ } } }, buildOrder(), 'placed', hold), { ...heldElsewhere, retryAfterMs: 0 })
  t.equal(fenced, 1)
})

t.test('a missing ticket is a bug, not an order to make up', async (t) => {
  await t.rejects(currentOrder({ get: async () => undefined }, 'o'), /the ticket of order o is missing/)
})
