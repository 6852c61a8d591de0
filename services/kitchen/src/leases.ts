import { randomUUID } from 'node:crypto'
import { HeldElsewhereError, type Logger } from '@restaurant/shared'
import { isLive, nextClaim, renewalIntervalOf, safetyMarginOf } from './claims.js'
import type { KitchenMetrics } from './kitchen-metrics.js'
import type { StationClock } from './stations.js'
import type { Claim, TicketStore } from './ticket-store.js'

export interface LeaseDeps {
  store: Pick<TicketStore, 'claims' | 'insertClaim' | 'updateClaim'>
  /** This process's incarnation: it names every claim it takes. */
  kitchen: string
  leaseMs: number
  clock: StationClock
  metrics: KitchenMetrics
}

/** A claim held by this process: renewed until it ends, lost when it cannot be renewed in time. */
export interface Lease {
  readonly claim: Claim
  /** Aborts when the lease is lost or the delivery it works for ends: the holder stops at once. */
  readonly signal: AbortSignal
  /** Throws unless the lease is still held: called before every unit the holder starts. */
  check(): void
  /** Stops the holder's work: aborts `signal` with `reason`. */
  stop(reason: unknown): void
  /** Stops renewing; an abandoned claim says so (best effort: else its lease runs out). */
  end(outcome: 'completed' | 'abandoned', log: Logger): Promise<void>
}

/** The lease was not renewed in time: a taker may hold the order now. */
function lapsed(claim: Claim): Error {
  return Object.assign(new HeldElsewhereError(`the lease of claim ${claim.number} on order ${claim.orderId} lapsed`), { retryAfterMs: 0 })
}

/**
 * Takes the order's next claim, or throws HeldElsewhereError (saying when the holder's lease ends) while
 * another holds a live one. `signal` is the delivery's: the lease ends with it.
 */
export async function takeLease(orderId: string, deps: LeaseDeps, signal: AbortSignal): Promise<Lease> {
  const who = { holder: `${deps.kitchen}/${randomUUID()}`, kitchen: deps.kitchen }
  // Most orders were never claimed: an insert of the first claim settles it without reading any.
  const first = nextClaim(orderId, undefined, who, deps.clock.now(), deps.leaseMs)
  if (await deps.store.insertClaim(first)) return taken(first, 'taken', deps, signal)
  const latest = (await deps.store.claims(orderId)).at(-1)
  const now = deps.clock.now()
  if (latest && isLive(latest, now)) throw refused(deps, `order ${orderId} is held by ${latest.holder}`, latest.expiresAt - now)
  const claim = nextClaim(orderId, latest, who, now, deps.leaseMs)
  if (!(await deps.store.insertClaim(claim))) throw refused(deps, `order ${orderId} was claimed first by another`, 0)
  return taken(claim, 'taken_over', deps, signal)
}

function taken(claim: Claim, outcome: 'taken' | 'taken_over', deps: LeaseDeps, signal: AbortSignal): Lease {
  deps.metrics.claims.inc({ outcome })
  return holdLease(claim, deps, signal)
}

function refused({ metrics }: LeaseDeps, reason: string, retryAfterMs: number): Error {
  metrics.claims.inc({ outcome: 'refused' })
  return Object.assign(new HeldElsewhereError(reason), { retryAfterMs })
}

function holdLease(claim: Claim, { store, clock, leaseMs, metrics }: LeaseDeps, delivery: AbortSignal): Lease {
  const margin = safetyMarginOf(leaseMs)
  let heldUntil = claim.expiresAt - margin
  const lost = new AbortController()
  const stopped = new AbortController()
  const onDeliveryEnd = () => lost.abort(delivery.reason)
  delivery.addEventListener('abort', onDeliveryEnd, { once: true })
  if (delivery.aborted) onDeliveryEnd()

  const lapse = () => lost.abort(lapsed(claim))
  /** A renewal counts only if it was stored before the lease it extends ran out. */
  async function renew(): Promise<void> {
    const expiresAt = clock.now() + leaseMs
    try {
      await store.updateClaim(claim.orderId, claim.number, { expiresAt })
    } catch {
      return // tried again at the next turn, until the lease runs out
    }
    if (clock.now() >= heldUntil) return lapse()
    heldUntil = expiresAt - margin
    metrics.renewals.inc()
  }
  async function keepRenewing(): Promise<void> {
    const stop = AbortSignal.any([lost.signal, stopped.signal])
    while (!stop.aborted) {
      if (clock.now() >= heldUntil) return lapse()
      // Wakes in time to stop before the lease runs out when renewals fail.
      await clock.sleep(Math.min(renewalIntervalOf(leaseMs), heldUntil - clock.now()), stop).catch(() => undefined)
      if (!stop.aborted && clock.now() < heldUntil) await renew()
    }
  }
  void keepRenewing()

  return {
    claim,
    signal: lost.signal,
    stop: (reason) => lost.abort(reason),
    check() {
      if (!lost.signal.aborted && clock.now() >= heldUntil) lapse()
      lost.signal.throwIfAborted()
    },
    async end(outcome, log) {
      stopped.abort()
      delivery.removeEventListener('abort', onDeliveryEnd)
      if (outcome === 'completed') return
      await store.updateClaim(claim.orderId, claim.number, { abandonedAt: new Date(clock.now()).toISOString() }).catch((err: unknown) => {
        log.warn({ err, orderId: claim.orderId, claim: claim.number }, 'could not mark the claim abandoned; its lease will run out')
      })
    },
  }
}
