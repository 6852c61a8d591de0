import { randomUUID } from 'node:crypto'
import { HeldElsewhereError } from '@restaurant/platform/runtime/errors'
import { isLive, nextClaim, renewalIntervalOf, safetyMarginOf, type Claim, type KitchenLease } from '../domain/claims.js'
import type { Claims, Clock, Hold } from '../use-cases/ports.js'
import type { TicketStore } from '../use-cases/ticket-store.js'
import type { KitchenMetrics } from './kitchen-metrics.js'

export interface LeaseDeps {
  store: Pick<TicketStore, 'claims' | 'insertClaim' | 'updateClaim' | 'insertLease' | 'renewLease' | 'lease'>
  /** This process's incarnation: it names every claim it takes. */
  kitchen: string
  leaseMs: number
  clock: Clock
  metrics: KitchenMetrics
}

/** One lease of this process, from its insert until it is lost (not renewed in time) or the process stops. */
interface Term {
  lease: KitchenLease
  /** Until when this process counts the lease held: its end as last stored, less the safety margin. */
  heldUntil: number
  lost: AbortController
}

/**
 * This process's claims on orders, all held under one lease of the process, renewed for all of them at once
 * every third of its length: one write per kitchen, not one per order. A renewal counts only if it was stored
 * before the lease ran out; otherwise the lease is lost, every claim under it stops, and the next claim starts
 * a new lease. Another kitchen takes an order over once the lease its claim holds under has ended.
 */
export function createClaims(deps: LeaseDeps): Claims {
  const { store, clock, leaseMs, metrics } = deps
  const margin = safetyMarginOf(leaseMs)
  const closing = new AbortController()
  // The orders this process is taking or holding a claim on: a second delivery of one waits for the first.
  const busy = new Set<string>()
  let current: Promise<Term> | undefined

  function term(): Promise<Term> {
    current ??= startTerm()
    current.catch(() => (current = undefined))
    return current
  }

  async function startTerm(): Promise<Term> {
    const lease = { id: `${deps.kitchen}/${randomUUID()}`, kitchen: deps.kitchen, expiresAt: clock.now() + leaseMs }
    await store.insertLease(lease)
    const started: Term = { lease, heldUntil: lease.expiresAt - margin, lost: new AbortController() }
    void keepRenewing(started)
    return started
  }

  function lose(lost: Term): void {
    if (lost.lost.signal.aborted) return
    current = undefined
    lost.lost.abort(Object.assign(new HeldElsewhereError(`the lease ${lost.lease.id} lapsed`), { retryAfterMs: 0 }))
  }

  async function keepRenewing(renewed: Term): Promise<void> {
    const stop = AbortSignal.any([renewed.lost.signal, closing.signal])
    while (!stop.aborted) {
      if (clock.now() >= renewed.heldUntil) return lose(renewed)
      // Wakes in time to stop before the lease runs out when renewals fail.
      await clock.sleep(Math.min(renewalIntervalOf(leaseMs), renewed.heldUntil - clock.now()), stop).catch(() => undefined)
      if (!stop.aborted && clock.now() < renewed.heldUntil) await renew(renewed)
    }
  }

  async function renew(renewed: Term): Promise<void> {
    const expiresAt = clock.now() + leaseMs
    try {
      await store.renewLease(renewed.lease.id, expiresAt)
    } catch {
      return // tried again at the next turn, until the lease runs out
    }
    if (clock.now() >= renewed.heldUntil) return lose(renewed)
    renewed.heldUntil = expiresAt - margin
    metrics.renewals.inc()
  }

  /**
   * Takes the order's next claim, or throws HeldElsewhereError (saying when the holder's lease ends) while
   * another holds a live one. `signal` is the delivery's: the claim stops with it.
   */
  async function take(orderId: string, signal: AbortSignal): Promise<Hold> {
    if (busy.has(orderId)) throw refused(`order ${orderId} is held by another delivery here`, renewalIntervalOf(leaseMs))
    busy.add(orderId)
    try {
      return await takeFor(orderId, signal)
    } catch (err) {
      busy.delete(orderId)
      throw err
    }
  }

  async function takeFor(orderId: string, signal: AbortSignal): Promise<Hold> {
    const under = await term()
    const who = { holder: `${deps.kitchen}/${randomUUID()}`, kitchen: deps.kitchen, lease: under.lease.id }
    // Most orders were never claimed: an insert of the first claim settles it without reading any.
    const first = nextClaim(orderId, undefined, who, clock.now())
    if (await store.insertClaim(first)) return hold(first, under, signal, 'taken')
    const latest = (await store.claims(orderId)).at(-1)
    const endsIn = latest && (await liveFor(latest))
    if (endsIn !== undefined) throw refused(`order ${orderId} is held by ${latest?.holder}`, endsIn)
    const claim = nextClaim(orderId, latest, who, clock.now())
    if (!(await store.insertClaim(claim))) throw refused(`order ${orderId} was claimed first by another`, 0)
    return hold(claim, under, signal, 'taken_over')
  }

  /** How long the claim may still be live, or undefined when it is not. A claim of this process's is not: it is not busy. */
  async function liveFor(claim: Claim): Promise<number | undefined> {
    if (claim.kitchen === deps.kitchen) return undefined
    const now = clock.now()
    const lease = await store.lease(claim.lease)
    return lease && isLive(claim, lease, now) ? lease.expiresAt - now : undefined
  }

  function refused(reason: string, retryAfterMs: number): Error {
    metrics.claims.inc({ outcome: 'refused' })
    return Object.assign(new HeldElsewhereError(reason), { retryAfterMs })
  }

  function hold(claim: Claim, under: Term, delivery: AbortSignal, outcome: 'taken' | 'taken_over'): Hold {
    metrics.claims.inc({ outcome })
    const stopped = new AbortController()
    const onLost = () => stopped.abort(under.lost.signal.reason)
    const onDeliveryEnd = () => stopped.abort(delivery.reason)
    under.lost.signal.addEventListener('abort', onLost, { once: true })
    delivery.addEventListener('abort', onDeliveryEnd, { once: true })
    if (under.lost.signal.aborted) onLost()
    if (delivery.aborted) onDeliveryEnd()
    return {
      claim,
      signal: stopped.signal,
      check() {
        if (clock.now() >= under.heldUntil) lose(under)
        stopped.signal.throwIfAborted()
      },
      stop: (reason) => stopped.abort(reason),
      async end(ending, log) {
        busy.delete(claim.orderId)
        under.lost.signal.removeEventListener('abort', onLost)
        delivery.removeEventListener('abort', onDeliveryEnd)
        if (ending === 'completed') return
        await store.updateClaim(claim.orderId, claim.number, { abandonedAt: new Date(clock.now()).toISOString() }).catch((err: unknown) => {
          log.warn({ err, orderId: claim.orderId, claim: claim.number }, 'could not mark the claim abandoned; it lapses with the lease')
        })
      },
    }
  }

  /** Stops renewing: the lease runs out, and other kitchens may take over whatever is still claimed here. */
  const close = () => closing.abort()

  return { take, close }
}
