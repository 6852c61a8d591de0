import type { CookedUnit } from '@restaurant/contracts/kitchen-api'
import type { MenuItem } from '@restaurant/contracts/menu'
import type { Order } from '@restaurant/contracts/orders'
import type { MessageContext } from '@restaurant/platform/messaging/bus'
import type { Logger } from '@restaurant/platform/runtime/logger'
import type { Claim } from '../domain/claims.js'
import type { Booking, CookingUnit, ScheduledUnit } from '../domain/cooking.js'

/** The ports the kitchen's use cases work through, besides the ticket store (ticket-store.ts). */

export interface Clock {
  now(): number
  /** Rejects when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>
}

/** What the kitchen knows of the delivery it is working on. */
export type Job = Pick<MessageContext, 'correlationId' | 'signal' | 'channelClosed' | 'log'>

/** Publishes the order's new state; resolves once the broker confirmed it. */
export type Announce = (order: Order, correlationId: string) => Promise<void>

/** The menu as it stands now, with items staff marked sold out. */
export type ReadMenu = () => Promise<readonly MenuItem[]>

/** What the use cases count: writes refused because a later claim had taken the order over. */
export interface FencingMetrics {
  fencedWrites: { inc(): void }
}

export interface Stations {
  /**
   * Books the order at its priority, waits until its first unit can start, then commits its plan (its units keep
   * their slots and times) and returns it. An order already committed here gets its plan back at once; a second
   * call for an order booked here shares that booking. Resolves `undefined` when the order is released while it
   * waits. Throws SetAsideError when, at booking or at any re-plan, its start is more than `maxWaitMs` away, and
   * rejects with the signal's reason when `signal` aborts; then its booking is released unless another call waits.
   */
  cook(booking: Booking, options: { maxWaitMs: number; signal?: AbortSignal }): Promise<ScheduledUnit[] | undefined>
  /** The committed plan of an order cooking here, if any. */
  planOf(orderId: string): ScheduledUnit[] | undefined
  /** Frees the order's slots (booked or committed) and wakes its wait; the others are re-planned and woken. */
  release(orderId: string): void
  /** Forgets a finished order (its committed units stay on the timeline until they end). */
  finish(orderId: string): void
  /** How many orders wait for a station here. */
  waiting(): number
}

/** An order's wait for its stations: its units' plan once it may start, or undefined when it was released meanwhile. */
export type WaitForStations = (order: Order, units: CookingUnit[], signal: AbortSignal) => Promise<ScheduledUnit[] | undefined>

/** A claim held by this process, for as long as the process's lease is. */
export interface Hold {
  readonly claim: Claim
  /** Aborts when the lease is lost, the delivery the claim works for ends, or `stop` is called: the holder stops at once. */
  readonly signal: AbortSignal
  /** Throws unless the claim is still held: called before every unit the holder starts. */
  check(): void
  /** Stops the holder's work: aborts `signal` with `reason`. */
  stop(reason: unknown): void
  /** Lets the claim go; an abandoned claim says so (best effort: else it lapses with the lease). */
  end(outcome: 'completed' | 'abandoned', log: Logger): Promise<void>
}

export interface Claims {
  /**
   * Takes the order's next claim, or throws HeldElsewhereError (saying when the holder's lease ends) while
   * another holds a live one. `signal` is the delivery's: the claim stops with it.
   */
  take(orderId: string, signal: AbortSignal): Promise<Hold>
  /** Stops renewing: the lease runs out, and other kitchens may take over whatever is still claimed here. */
  close(): void
}

/** Cooks the plan's units under the hold, recording each in the witness; the first that fails stops the others. */
export type CookUnits = (orderId: string, plan: readonly ScheduledUnit[], hold: Hold) => Promise<CookedUnit[]>
