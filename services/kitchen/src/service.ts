import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { menu as seedMenu, stationCapacity } from '@restaurant/contracts/menu'
import { CancelOrderMessage, MenuChangedMessage, OrderPlacedMessage, routingKeys, topologyFor } from '@restaurant/contracts/messages'
import { verifyingKeysFrom } from '@restaurant/platform/auth/service-keys'
import { createServiceVerifier } from '@restaurant/platform/auth/service-tokens'
import type { Bus } from '@restaurant/platform/messaging/bus'
import { busOptionsFrom, connectBus } from '@restaurant/platform/messaging/rabbit-bus'
import type { DependencyCheck } from '@restaurant/platform/http/health'
import { keepMenuCopy, type MenuCopy } from '@restaurant/platform/menu/menu-copy'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { createBusMetrics, createMetricsRegistry, createOrderMetrics } from '@restaurant/platform/runtime/metrics'
import { withSpans } from '@restaurant/platform/runtime/tracing'
import { redactUrl, waitFor } from '@restaurant/platform/runtime/wait-for'
import type { Registry } from 'prom-client'
import { createKitchenMetrics } from './adapters/kitchen-metrics.js'
import { createMenuStore } from './adapters/create-menu-store.js'
import { createStations } from './adapters/stations.js'
import { createTicketStore } from './adapters/create-ticket-store.js'
import { buildKitchenApp } from './app.js'
import type { KitchenConfig } from './config.js'
import { createKitchen } from './kitchen.js'
import { createEditMenu } from './use-cases/edit-menu.js'
import type { Announce, Clock } from './use-cases/ports.js'
import type { TicketStore } from './use-cases/ticket-store.js'

/**
 * Wires the kitchen: store, bus, consumers, the HTTP app (not yet listening) and what its `/ready` checks.
 * `close` drains in order: no new deliveries, in-flight orders finish and are acked, then connections close.
 */
export async function startKitchenService(config: KitchenConfig, log: Logger) {
  const store = await waitForStore(config, log, 'ticket', () => createTicketStore(config))
  const topology = topologyFor(config.AMQP_NAMESPACE)
  const metrics = createMetricsRegistry('kitchen')
  // This process, never a reusable instance name: it names the claims it takes and the units it cooks.
  const kitchenName = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`
  log.info({ kitchen: kitchenName }, 'kitchen incarnation')
  const bus = await connectBus(busOptionsFrom(config, { topology, log, connectionName: `kitchen ${kitchenName}`, metrics: createBusMetrics(metrics) }))
  const menu = await openMenu(config, bus, log)
  const kitchen = createKitchen({
    store,
    announce: announcer(bus, metrics),
    menu: async () => menu.copy.current().items,
    stations: createStations(stationCapacity, systemClock),
    speedFactor: config.KITCHEN_SPEED_FACTOR,
    maxStationWaitMs: config.AMQP_MAX_HOLD_MS,
    kitchen: kitchenName,
    leaseMs: config.KITCHEN_LEASE_MS,
    clock: systemClock,
    metrics: createKitchenMetrics(metrics),
  })
  await bus.consume(topology.queues.kitchenOrders, OrderPlacedMessage, kitchen.prepare, { onGiveUp: kitchen.fail })
  await bus.consume(topology.queues.kitchenCancellations, CancelOrderMessage, kitchen.cancel)
  const app = await buildKitchenApp({ log, store, menu, maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS, verifyCaller: waiterVerifier(config), metrics })

  async function close(): Promise<void> {
    await bus.cancelConsumers()
    kitchen.close()
    menu.copy.close()
    await app.close()
    await bus.close()
    await store.close()
    await menu.store.close()
  }
  return { app, store, menuStore: menu.store, metrics, readiness: readinessChecks(bus, store), close }
}

const systemClock: Clock = { now: Date.now, sleep: (ms, signal) => sleep(Math.max(0, ms), undefined, { signal }) }

/** Waits for the configured store, saying what to do while it cannot be reached. */
function waitForStore<S extends object>(config: KitchenConfig, log: Logger, what: string, open: () => Promise<S>): Promise<S> {
  return waitFor(async () => withSpans(`${what}-store`, await open()), {
    what: config.MONGO_URL ? `MongoDB at ${redactUrl(config.MONGO_URL)}` : `the ${what} store in ${config.DATA_DIR}`,
    hint: config.MONGO_URL ? 'start it (`docker compose up -d mongo`) or unset MONGO_URL for the embedded store' : 'check that the folder is writable',
    log,
  })
}

/**
 * The menu the kitchen owns: its store (seeded with the menu of menu.json on the first start), the copy this
 * process cooks from, kept up with every kitchen's changes, and the edits, which the copy takes in at once.
 */
async function openMenu(config: KitchenConfig, bus: Pick<Bus, 'publish' | 'subscribe'>, log: Logger) {
  const store = await waitForStore(config, log, 'menu', () => createMenuStore(config))
  if (await store.seedIfEmpty(seedMenu)) log.info({ items: seedMenu.length }, 'menu seeded')
  const copy: MenuCopy = await keepMenuCopy({
    load: () => store.items(),
    follow: (onChange, onSubscribed) => bus.subscribe(routingKeys.menuChanged, MenuChangedMessage, ({ item }) => onChange(item), { onSubscribed }),
    reloadEveryMs: config.MENU_RELOAD_MS,
    log,
  })
  const edits = createEditMenu({
    store,
    announce: async (item, version, correlationId) => {
      copy.apply(item)
      await bus.publish(routingKeys.menuChanged, { version, item }, correlationId)
    },
    now: () => new Date(),
  })
  return { store, copy, edits }
}

/** What `/ready` checks. */
/** Only the waiter calls the kitchen: tokens signed with its keys, for the kitchen. */
function waiterVerifier(config: KitchenConfig) {
  return createServiceVerifier('kitchen', { waiter: verifyingKeysFrom(config.WAITER_PUBLIC_KEYS, 'WAITER_PUBLIC_KEYS') })
}

function readinessChecks(bus: Pick<Bus, 'assertConnected'>, store: Pick<TicketStore, 'ping'>): Record<string, DependencyCheck> {
  return {
    rabbitmq: { check: async () => bus.assertConnected() },
    store: { check: () => store.ping() },
  }
}

/** Publishes each new state of an order as order.status-changed, and counts it once the broker confirmed it. */
function announcer(bus: Pick<Bus, 'publish'>, metrics: Registry): Announce {
  const countOrder = createOrderMetrics(metrics, 'kitchen')
  return async (order, correlationId) => {
    await bus.publish(routingKeys.orderStatusChanged, { order }, correlationId)
    countOrder(order)
  }
}
