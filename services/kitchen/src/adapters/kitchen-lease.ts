import { randomUUID } from 'node:crypto'
import { HeldElsewhereError } from '@restaurant/platform/runtime/errors'
import { renewalIntervalOf, safetyMarginOf, type KitchenLease } from '../domain/claims.js'
import type { Clock } from '../use-cases/ports.js'
import type { TicketStore } from '../use-cases/ticket-store.js'
import type { KitchenMetrics } from './kitchen-metrics.js'

export interface KitchenLeaseDeps {
  store: Pick<TicketStore, 'insertLease' | 'renewLease'>
  /** This process's incarnation: it names its leases. */
  kitchen: string
  leaseMs: number
  clock: Clock
  metrics: Pick<KitchenMetrics, 'renewals'>
}

/** One lease of this process, from its insert until it is lost (not renewed in time) or the process stops. */
export interface LeaseTerm {
  lease: KitchenLease
  /** Until when this process counts the lease held: its end as last stored, less the safety margin. */
  heldUntil: number
  lost: AbortController
}

interface LeaseState {
  deps: KitchenLeaseDeps
  margin: number
  closing: AbortController
  current?: Promise<LeaseTerm> | undefined
}

/**
 * The one lease a kitchen process holds all its claims under, renewed for all of them at once every third of
 * its length: one write per kitchen, not one per order. A renewal counts only if it was stored before the lease
 * ran out; otherwise the lease is lost, its `lost` signal aborts, and the next term starts a new lease.
 */
export function createKitchenLease(deps: KitchenLeaseDeps) {
  const state: LeaseState = { deps, margin: safetyMarginOf(deps.leaseMs), closing: new AbortController() }
  return {
    /** The lease now held: started on first need, and again after a loss. */
    term: () => currentTerm(state),
    /** Counts the lease lost once this process may no longer count it held (a timer fired late, a renewal failed). */
    lapseIfDue(term: LeaseTerm): void {
      if (deps.clock.now() >= term.heldUntil) lose(state, term)
    },
    /** Stops renewing: the lease runs out, and other kitchens may take over whatever is still claimed under it. */
    close: () => state.closing.abort(),
  }
}
export type KitchenLeaseKeeper = ReturnType<typeof createKitchenLease>

function currentTerm(state: LeaseState): Promise<LeaseTerm> {
  const term = (state.current ??= startTerm(state))
  term.catch(() => (state.current = undefined))
  return term
}

async function startTerm(state: LeaseState): Promise<LeaseTerm> {
  const { store, kitchen, clock, leaseMs } = state.deps
  const lease = { id: `${kitchen}/${randomUUID()}`, kitchen, expiresAt: clock.now() + leaseMs }
  await store.insertLease(lease)
  const started: LeaseTerm = { lease, heldUntil: lease.expiresAt - state.margin, lost: new AbortController() }
  void keepRenewing(state, started)
  return started
}

function lose(state: LeaseState, lost: LeaseTerm): void {
  if (lost.lost.signal.aborted) return
  state.current = undefined
  lost.lost.abort(Object.assign(new HeldElsewhereError(`the lease ${lost.lease.id} lapsed`), { retryAfterMs: 0 }))
}

async function keepRenewing(state: LeaseState, renewed: LeaseTerm): Promise<void> {
  const { clock, leaseMs } = state.deps
  const stop = AbortSignal.any([renewed.lost.signal, state.closing.signal])
  while (!stop.aborted) {
    if (clock.now() >= renewed.heldUntil) return lose(state, renewed)
    // Wakes in time to stop before the lease runs out when renewals fail.
    await clock.sleep(Math.min(renewalIntervalOf(leaseMs), renewed.heldUntil - clock.now()), stop).catch(() => undefined)
    if (!stop.aborted && clock.now() < renewed.heldUntil) await renew(state, renewed)
  }
}

async function renew(state: LeaseState, renewed: LeaseTerm): Promise<void> {
  const { store, clock, leaseMs, metrics } = state.deps
  const expiresAt = clock.now() + leaseMs
  try {
    await store.renewLease(renewed.lease.id, expiresAt)
  } catch {
    return // tried again at the next turn, until the lease runs out
  }
  if (clock.now() >= renewed.heldUntil) return lose(state, renewed)
  renewed.heldUntil = expiresAt - state.margin
  metrics.renewals.inc()
}
