import type { CookedUnit } from '@restaurant/contracts/kitchen-api'
import { DependencyUnavailableError } from '@restaurant/platform/runtime/errors'
import type { ScheduledUnit } from '../domain/cooking.js'
import type { Clock, CookUnits, Hold } from '../use-cases/ports.js'
import type { TicketStore } from '../use-cases/ticket-store.js'

export interface UnitCookingDeps {
  store: Pick<TicketStore, 'recordUnit'>
  /** This process's incarnation, as the witness names the kitchen that cooked. */
  kitchen: string
  clock: Clock
  /** How long a unit's end is tried again while the store is away: as long as a delivery may be held. */
  recordForMs: number
}

/**
 * The cooking of units at their planned times, each recorded in the witness as it starts and as it ends.
 * The witness is written by the cooking itself and never fenced: it says what was really cooked.
 */
export function createUnitCooking(deps: UnitCookingDeps): { cookUnits: CookUnits } {
  return { cookUnits: (orderId, plan, hold) => cookUnits(deps, orderId, plan, hold) }
}

/**
 * A unit cooked is cooked: its end must not be lost to a store that is briefly away, or a takeover would cook
 * it again. Tried again, with backoff, for `recordForMs`.
 */
async function recordEnd({ store, clock, recordForMs }: UnitCookingDeps, orderId: string, claimNumber: number, cooked: CookedUnit): Promise<void> {
  const deadline = clock.now() + recordForMs
  for (let pauseMs = 50; ; pauseMs = Math.min(pauseMs * 2, 1_000)) {
    try {
      return await store.recordUnit(orderId, claimNumber, cooked)
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
 * The claim is checked before the unit starts; a unit whose claim lapsed while it cooked (the process was
 * frozen past its lease, so another kitchen may cook it now) is recorded abandoned, not finished.
 */
async function cookUnit(deps: UnitCookingDeps, orderId: string, unit: ScheduledUnit, hold: Hold): Promise<CookedUnit> {
  const { store, kitchen, clock } = deps
  await clock.sleep(unit.startMs - clock.now(), hold.signal)
  hold.check()
  const startedAt = clock.now()
  const cooking = { kitchen, unit: unit.unit, menuItemId: unit.menuItemId, startedAt: new Date(startedAt).toISOString() }
  const record = (end: 'endedAt' | 'abandonedAt') => ({ ...cooking, [end]: new Date(clock.now()).toISOString() })
  await store.recordUnit(orderId, hold.claim.number, cooking)
  try {
    await clock.sleep(startedAt + unit.prepMs - clock.now(), hold.signal)
    hold.check()
  } catch (err) {
    // Best effort: the error that stopped it is what the delivery reports.
    await recordEnd(deps, orderId, hold.claim.number, record('abandonedAt')).catch(() => undefined)
    throw err
  }
  const finished = record('endedAt')
  await recordEnd(deps, orderId, hold.claim.number, finished)
  return finished
}
