import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { stationCapacity } from '@restaurant/contracts/menu'
import { CancelOrderMessage, OrderPlacedMessage, routingKeys, topologyFor } from '@restaurant/contracts/messages'
import type { Bus } from '@restaurant/platform/messaging/bus'
import { busOptionsFrom, connectBus } from '@restaurant/platform/messaging/rabbit-bus'
import { createMenuAvailability } from '@restaurant/platform/redis/menu-availability'
import type { Redis } from 'ioredis'
import type { DependencyCheck } from '@restaurant/platform/http/health'
import { createRedis } from '@restaurant/platform/redis/redis'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { createBusMetrics, createMetricsRegistry, createOrderMetrics } from '@restaurant/platform/runtime/metrics'
import { withSpans } from '@restaurant/platform/runtime/tracing'
import { redactUrl, waitFor } from '@restaurant/platform/runtime/wait-for'
import type { Registry } from 'prom-client'
import { createKitchenMetrics } from './adapters/kitchen-metrics.js'
import { createStations } from './adapters/stations.js'
import { createTicketStore } from './adapters/create-ticket-store.js'
import { buildKitchenApp } from './app.js'
import type { KitchenConfig } from './config.js'
import { createKitchen } from './kitchen.js'
import type { Announce, Clock } from './use-cases/ports.js'
import type { TicketStore } from './use-cases/ticket-store.js'

/**
 * Wires the kitchen: store, bus, consumers, the HTTP app (not yet listening) and what its `/ready` checks.
 * `close` drains in order: no new deliveries, in-flight orders finish and are acked, then connections close.
 */
export async function startKitchenService(config: KitchenConfig, log: Logger) {
  const store = await openTicketStore(config, log)
  const topology = topologyFor(config.AMQP_NAMESPACE)
  const metrics = createMetricsRegistry('kitchen')
  // This process, never a reusable instance name: it names the claims it takes and the units it cooks.
  const kitchenName = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`
  log.info({ kitchen: kitchenName }, 'kitchen incarnation')
  const bus = await connectBus(busOptionsFrom(config, { topology, log, connectionName: `kitchen ${kitchenName}`, metrics: createBusMetrics(metrics) }))
  // Only sold-out marks come from Redis; without it the kitchen goes on with the last menu it read.
  const redis = createRedis(config, log)
  const kitchen = createKitchen({
    store,
    announce: announcer(bus, metrics),
    menu: createMenuAvailability(redis, log).current,
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
  const app = await buildKitchenApp({ log, store, maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS, identitySecret: config.IDENTITY_SECRET, metrics })

  async function close(): Promise<void> {
    await bus.cancelConsumers()
    kitchen.close()
    await app.close()
    await bus.close()
    await store.close()
    redis.disconnect()
  }
  return { app, store, metrics, readiness: readinessChecks(bus, store, redis), close }
}

const systemClock: Clock = { now: Date.now, sleep: (ms, signal) => sleep(Math.max(0, ms), undefined, { signal }) }

/** Waits for the configured store, saying what to do while it cannot be reached. */
function openTicketStore(config: KitchenConfig, log: Logger): Promise<TicketStore> {
  return waitFor(async () => withSpans('ticket-store', await createTicketStore(config)), {
    what: config.MONGO_URL ? `MongoDB at ${redactUrl(config.MONGO_URL)}` : `the ticket store in ${config.DATA_DIR}`,
    hint: config.MONGO_URL ? 'start it (`docker compose up -d mongo`) or unset MONGO_URL for the embedded store' : 'check that the folder is writable',
    log,
  })
}

/** What `/ready` checks. Redis is optional: only sold-out marks come from it, and the kitchen goes on with the last menu it read. */
function readinessChecks(bus: Pick<Bus, 'assertConnected'>, store: Pick<TicketStore, 'ping'>, redis: Pick<Redis, 'ping'>): Record<string, DependencyCheck> {
  return {
    rabbitmq: { check: async () => bus.assertConnected() },
    store: { check: () => store.ping() },
    redis: { check: () => redis.ping(), optional: true },
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
