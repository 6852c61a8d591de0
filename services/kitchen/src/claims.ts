import type { CookedUnit, CookingAttempt } from '@restaurant/contracts'
import type { Claim, KitchenLease } from './ticket-store.js'

/**
 * Who cooks an order is decided by claims alone. A claim is taken by a unique insert of the order's next claim
 * number and holds while its kitchen's lease runs; a later taker waits for that lease to end (or the claim to be
 * abandoned), then inserts the next number. These are the rules; `leases.ts` holds claims against the store.
 */

/** Whether the claim still gives its holder the order: not abandoned, and its kitchen's lease not run out. */
export function isLive(claim: Claim, lease: KitchenLease | undefined, now: number): boolean {
  return claim.abandonedAt === undefined && lease !== undefined && lease.expiresAt > now
}

/** The claim that follows `latest` (the order's first when there is none), for `holder` of `kitchen` under `lease`. */
export function nextClaim(orderId: string, latest: Claim | undefined, who: Pick<Claim, 'holder' | 'kitchen' | 'lease'>, now: number): Claim {
  return { orderId, number: (latest?.number ?? 0) + 1, ...who, startedAt: new Date(now).toISOString() }
}

/**
 * How long before its lease ends a holder counts it lost: it must stop cooking before a taker may start,
 * whatever the clocks of two machines disagree by (up to this) and however late a timer fires.
 */
export function safetyMarginOf(leaseMs: number): number {
  return Math.ceil(leaseMs / 10)
}

/** How often a holder renews: three tries before its lease would end. */
export function renewalIntervalOf(leaseMs: number): number {
  return Math.ceil(leaseMs / 3)
}

/**
 * A claim as staff read it. The attempt that completed is the one whose holder committed the order's last step
 * (`committedBy`); its end is that step's time.
 */
export function attemptOf(claim: Claim, completion: { committedBy?: number; at?: string | undefined }): CookingAttempt {
  const { kitchen, startedAt, abandonedAt } = claim
  if (completion.committedBy === claim.number && completion.at) return { kitchen, startedAt, endedAt: completion.at }
  return abandonedAt === undefined ? { kitchen, startedAt } : { kitchen, startedAt, abandonedAt }
}

/** The units some kitchen finished: the witness says so with an end. */
export function finishedUnits(witness: readonly CookedUnit[]): Map<number, CookedUnit> {
  return new Map(witness.filter((cooked) => cooked.endedAt !== undefined).map((cooked) => [cooked.unit, cooked]))
}
