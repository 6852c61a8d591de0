import type { CookedUnit } from '@restaurant/contracts/kitchen-api'
import { DependencyUnavailableError, HeldElsewhereError } from '@restaurant/platform/runtime/errors'
import type { UnitEnd } from '../domain/claims.js'
import type { ScheduledUnit } from '../domain/cooking.js'
import type { Clock, CookUnits, FencingMetrics, Hold } from '../use-cases/ports.js'
import type { TicketStore } from '../use-cases/ticket-store.js'

export interface UnitCookingDeps {
  store: Pick<TicketStore, 'recordUnit' | 'settleUnit'>
  /** This process's incarnation, as the witness names the kitchen that cooked. */
  kitchen: string
  clock: Clock
  /** How long a unit's end is tried again while the store is away: as long as a delivery may be held. */
  recordForMs: number
  metrics: FencingMetrics
}

/**
 * The cooking of units at their planned times, each recorded in the witness as it starts and settled as it ends.
 * The witness is written by the cooking itself: it says what was really cooked.
 */
export function createUnitCooking(deps: UnitCookingDeps): { cookUnits: CookUnits } {
  return { cookUnits: (orderId, plan, hold) => cookUnits(deps, orderId, plan, hold) }
}

/**
 * A unit cooked is cooked: its end must not be lost to a store that is briefly away. Tried again, with backoff,
 * for `recordForMs`; a takeover meanwhile closes the claim, and the end is then refused rather than missed.
 */
async function settle({ store, clock, recordForMs }: UnitCookingDeps, orderId: string, claimNumber: number, unit: number, end: UnitEnd): Promise<boolean> {
  const deadline = clock.now() + recordForMs
  for (let pauseMs = 50; ; pauseMs = Math.min(pauseMs * 2, 1_000)) {
    try {
      return await store.settleUnit(orderId, claimNumber, unit, end)
    } catch (err) {
      if (!(err instanceof DependencyUnavailableError) || clock.now() + pauseMs > deadline) throw err
      await clock.sleep(pauseMs, new AbortController().signal)
    }
  }
}

/** Cooks the plan's units; the first that fails stops the others, which record that they stopped. */
async function cookUnits(deps: UnitCookingDeps, orderId: string, plan: readonly ScheduledUnit[], hold: Hold): Promise<CookedUnit[]> {
  const outcomes = await Promise.allSettled(
    plan.map((unit) =>
      cookUnit(deps, orderId, unit, hold).catch((err: unknown) => {
        hold.stop(err)
        throw err
      }),
    ),
  )
  const failure = outcomes.find((outcome) => outcome.status === 'rejected')
  if (failure) throw failure.reason
  return outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []))
}

/**
 * The claim is checked before the unit starts, once its start is recorded (a claim lost meanwhile cooked nothing)
 * and before it ends: a unit whose claim lapsed while it cooked (the process was frozen past its lease, so another
 * kitchen may cook it now) is abandoned, not finished. Its end is settled by the store: one that a takeover
 * closed first is abandoned too, at the time it ended, and the taker cooks it.
 */
async function cookUnit(deps: UnitCookingDeps, orderId: string, unit: ScheduledUnit, hold: Hold): Promise<CookedUnit> {
  const { store, kitchen, clock } = deps
  await clock.sleep(unit.startMs - clock.now(), hold.signal)
  hold.check()
  const startedAt = clock.now()
  const started = { kitchen, unit: unit.unit, menuItemId: unit.menuItemId, startedAt: new Date(startedAt).toISOString() }
  const settleAs = (end: UnitEnd) => settle(deps, orderId, hold.claim.number, unit.unit, end)
  // Best effort: the error that stopped it is what the delivery reports.
  const stop = async (err: unknown, at: number): Promise<never> => {
    await settleAs({ abandonedAt: new Date(at).toISOString() }).catch(() => undefined)
    throw err
  }
  await store.recordUnit(orderId, hold.claim.number, started)
  try {
    hold.check()
  } catch (err) {
    return stop(err, startedAt) // lost while its start was written: nothing was cooked
  }
  try {
    await clock.sleep(startedAt + unit.prepMs - clock.now(), hold.signal)
    hold.check()
  } catch (err) {
    return stop(err, clock.now())
  }
  const endedAt = clock.now()
  const finished = { endedAt: new Date(endedAt).toISOString() }
  if (await settleAs(finished)) return { ...started, ...finished }
  deps.metrics.fencedWrites.inc()
  return stop(Object.assign(new HeldElsewhereError(`claim ${hold.claim.number} of order ${orderId} was closed by a later claim`), { retryAfterMs: 0 }), endedAt)
}
