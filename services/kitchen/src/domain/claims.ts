import type { CookedUnit, CookingAttempt } from '@restaurant/contracts/kitchen-api'

/**
 * Who cooks an order is decided by claims alone. A claim is taken by a unique insert of the order's next claim
 * number and holds while its kitchen's lease runs; a later taker waits for that lease to end (or the claim to be
 * abandoned), then inserts the next number. These are the rules; `adapters/lease-claims.ts` holds claims against the store.
 */

/**
 * A kitchen process's lease: every claim taken under it holds while the process renews it, one write for all
 * (as etcd's leases do for their keys). A process that fails to renew in time loses it, and takes a new one.
 */
export interface KitchenLease {
  /** Unique to this lease: never reused, not even by the same process. */
  id: string
  /** The kitchen process incarnation. */
  kitchen: string
  /** Epoch ms at which the lease ends unless renewed. */
  expiresAt: number
}

/**
 * The right to cook one order. Taken by a unique insert of the order's next claim number, so exactly one
 * taker wins each number on every store; it holds while its kitchen's lease is renewed.
 */
export interface Claim {
  orderId: string
  /** 1 for the order's first claim, one more for each takeover: the fence its holder's writes carry. */
  number: number
  /** The kitchen process incarnation and the delivery it works for: never reused. */
  holder: string
  /** The kitchen process incarnation. */
  kitchen: string
  startedAt: string
  /** The id of the kitchen lease it holds under. */
  lease: string
  /** Set when its holder stopped without completing (it lost its lease, its delivery, or a dependency). */
  abandonedAt?: string
}

/** What only the claim's holder changes on its own claim: how it ended. */
export type ClaimChange = Partial<Pick<Claim, 'abandonedAt'>>

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

/** A unit's cooking as the witness records it when it starts. */
export type StartedUnit = Omit<CookedUnit, 'endedAt' | 'abandonedAt'>

/** How one cooking of a unit was settled: finished, or stopped unfinished. */
export type UnitEnd = { endedAt: string } | { abandonedAt: string }

/** The units some kitchen finished: the witness says so with an end. */
export function finishedUnits(witness: readonly CookedUnit[]): Map<number, CookedUnit> {
  return new Map(witness.filter((cooked) => cooked.endedAt !== undefined).map((cooked) => [cooked.unit, cooked]))
}
