import { renewalIntervalOf } from './domain/claims.js'
import type { KitchenMetrics } from './adapters/kitchen-metrics.js'
import { createClaims } from './adapters/lease-claims.js'
import { createStationWaits } from './adapters/station-waits.js'
import { createUnitCooking } from './adapters/unit-cooking.js'
import { cancelOrder } from './use-cases/cancel-order.js'
import { failOrder } from './use-cases/fail-order.js'
import type { Announce, Clock, ReadMenu, Stations } from './use-cases/ports.js'
import { prepareOrder } from './use-cases/prepare-order.js'
import type { TicketStore } from './use-cases/ticket-store.js'

export interface KitchenDeps {
  store: TicketStore
  announce: Announce
  menu: ReadMenu
  stations: Stations
  speedFactor: number
  /** Longest an order may wait for its station while its delivery is held; one that would wait longer is set aside. */
  maxStationWaitMs: number
  /** This process's incarnation: it names the claims it takes and the units it cooks. */
  kitchen: string
  /** How long a claim holds without renewal. */
  leaseMs: number
  clock: Clock
  metrics: KitchenMetrics
}

/** Wires the kitchen's consumers: its three use cases over claims, station waits and the cooking of units. */
export function createKitchen(deps: KitchenDeps) {
  const { store, stations, clock, metrics, announce } = deps
  const claims = createClaims({ store, kitchen: deps.kitchen, leaseMs: deps.leaseMs, clock, metrics })
  const { cookUnits } = createUnitCooking({ store, kitchen: deps.kitchen, clock, recordForMs: deps.maxStationWaitMs, metrics })
  const waitForStations = createStationWaits({ stations, store, clock, maxWaitMs: deps.maxStationWaitMs, checkEveryMs: renewalIntervalOf(deps.leaseMs) })
  const underClaim = { store, claims, stations, metrics }
  return {
    prepare: prepareOrder({ ...underClaim, announce, menu: deps.menu, waitForStations, cookUnits, speedFactor: deps.speedFactor, clock }),
    cancel: cancelOrder({ store, stations, announce, clock }),
    fail: failOrder({ ...underClaim, announce, clock }),
    /** Stops renewing the kitchen's lease, once no delivery is in hand. */
    close: () => claims.close(),
  }
}
