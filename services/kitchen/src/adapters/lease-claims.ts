import { randomUUID } from 'node:crypto'
import { HeldElsewhereError } from '@restaurant/platform/runtime/errors'
import { isLive, nextClaim, renewalIntervalOf, type Claim } from '../domain/claims.js'
import type { Claims, Clock, Hold } from '../use-cases/ports.js'
import type { TicketStore } from '../use-cases/ticket-store.js'
import { createKitchenLease, type KitchenLeaseKeeper, type LeaseTerm } from './kitchen-lease.js'
import type { KitchenMetrics } from './kitchen-metrics.js'

export interface LeaseDeps {
  store: Pick<TicketStore, 'claims' | 'insertClaim' | 'updateClaim' | 'insertLease' | 'renewLease' | 'lease'>
  /** This process's incarnation: it names every claim it takes. */
  kitchen: string
  leaseMs: number
  clock: Clock
  metrics: KitchenMetrics
}

interface ClaimsState {
  deps: LeaseDeps
  lease: KitchenLeaseKeeper
  /** The orders this process is taking or holding a claim on: a second delivery of one waits for the first. */
  busy: Set<string>
}

/**
 * This process's claims on orders, all held under the process's one lease (kitchen-lease.ts): when the lease is
 * lost, every claim under it stops. Another kitchen takes an order over once the lease its claim holds under ended.
 */
export function createClaims(deps: LeaseDeps): Claims {
  const state: ClaimsState = { deps, lease: createKitchenLease(deps), busy: new Set() }
  return { take: (orderId, signal) => take(state, orderId, signal), close: () => state.lease.close() }
}

async function take(state: ClaimsState, orderId: string, signal: AbortSignal): Promise<Hold> {
  if (state.busy.has(orderId)) throw refused(state, `order ${orderId} is held by another delivery here`, renewalIntervalOf(state.deps.leaseMs))
  state.busy.add(orderId)
  try {
    return await takeFor(state, orderId, signal)
  } catch (err) {
    state.busy.delete(orderId)
    throw err
  }
}

async function takeFor(state: ClaimsState, orderId: string, signal: AbortSignal): Promise<Hold> {
  const { store, kitchen, clock } = state.deps
  const under = await state.lease.term()
  const who = { holder: `${kitchen}/${randomUUID()}`, kitchen, lease: under.lease.id }
  // Most orders were never claimed: an insert of the first claim settles it without reading any.
  const first = nextClaim(orderId, undefined, who, clock.now())
  if (await store.insertClaim(first)) return hold(state, first, under, signal, 'taken')
  const latest = (await store.claims(orderId)).at(-1)
  const endsIn = latest && (await liveFor(state, latest))
  if (endsIn !== undefined) throw refused(state, `order ${orderId} is held by ${latest?.holder}`, endsIn)
  const claim = nextClaim(orderId, latest, who, clock.now())
  if (!(await store.insertClaim(claim))) throw refused(state, `order ${orderId} was claimed first by another`, 0)
  return hold(state, claim, under, signal, 'taken_over')
}

/** How long the claim may still be live, or undefined when it is not. A claim of this process's is not: it is not busy. */
async function liveFor(state: ClaimsState, claim: Claim): Promise<number | undefined> {
  if (claim.kitchen === state.deps.kitchen) return undefined
  const now = state.deps.clock.now()
  const lease = await state.deps.store.lease(claim.lease)
  return lease && isLive(claim, lease, now) ? lease.expiresAt - now : undefined
}

function refused(state: ClaimsState, reason: string, retryAfterMs: number): Error {
  state.deps.metrics.claims.inc({ outcome: 'refused' })
  return Object.assign(new HeldElsewhereError(reason), { retryAfterMs })
}

function hold(state: ClaimsState, claim: Claim, under: LeaseTerm, delivery: AbortSignal, outcome: 'taken' | 'taken_over'): Hold {
  state.deps.metrics.claims.inc({ outcome })
  const stopped = new AbortController()
  const onLost = () => stopped.abort(under.lost.signal.reason)
  const onDeliveryEnd = () => stopped.abort(delivery.reason)
  under.lost.signal.addEventListener('abort', onLost, { once: true })
  delivery.addEventListener('abort', onDeliveryEnd, { once: true })
  if (under.lost.signal.aborted) onLost()
  if (delivery.aborted) onDeliveryEnd()
  const release = () => {
    state.busy.delete(claim.orderId)
    under.lost.signal.removeEventListener('abort', onLost)
    delivery.removeEventListener('abort', onDeliveryEnd)
  }
  return {
    claim,
    signal: stopped.signal,
    check() {
      state.lease.lapseIfDue(under)
      stopped.signal.throwIfAborted()
    },
    stop: (reason) => stopped.abort(reason),
    async end(ending, log) {
      release()
      if (ending === 'abandoned') await markAbandoned(state, claim, log)
    },
  }
}

/** Best effort: a claim not marked abandoned lapses with its lease. */
async function markAbandoned(state: ClaimsState, claim: Claim, log: Parameters<Hold['end']>[1]): Promise<void> {
  const { store, clock } = state.deps
  await store.updateClaim(claim.orderId, claim.number, { abandonedAt: new Date(clock.now()).toISOString() }).catch((err: unknown) => {
    log.warn({ err, orderId: claim.orderId, claim: claim.number }, 'could not mark the claim abandoned; it lapses with the lease')
  })
}
