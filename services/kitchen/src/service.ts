import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { CancelOrderMessage, OrderPlacedMessage, routingKeys, stationCapacity, topologyFor } from '@restaurant/contracts'
import { busOptionsFrom, connectBus } from '@restaurant/platform/messaging/rabbit-bus'
import { createMenuAvailability } from '@restaurant/platform/redis/menu-availability'
import { createRedis } from '@restaurant/platform/redis/redis'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { createBusMetrics, createMetricsRegistry, createOrderMetrics } from '@restaurant/platform/runtime/metrics'
import { withSpans } from '@restaurant/platform/runtime/tracing'
import { redactUrl, waitFor } from '@restaurant/platform/runtime/wait-for'
import { buildKitchenApp } from './app.js'
import type { KitchenConfig } from './config.js'
import { createKitchenMetrics } from './adapters/kitchen-metrics.js'
import { createStations } from './adapters/stations.js'
import { createTicketStore } from './adapters/create-ticket-store.js'
import { createKitchen } from './kitchen.js'

/**
 * Wires the kitchen: store, bus, consumers and the HTTP app (not yet listening). `close` drains in order:
 * no new deliveries, in-flight orders finish and are acked, then connections close.
 */
export async function startKitchenService(config: KitchenConfig, log: Logger) {
  const store = await waitFor(async () => withSpans('ticket-store', await createTicketStore(config)), {
    what: config.MONGO_URL ? `MongoDB at ${redactUrl(config.MONGO_URL)}` : `the ticket store in ${config.DATA_DIR}`,
    hint: config.MONGO_URL ? 'start it (`docker compose up -d mongo`) or unset MONGO_URL for the embedded store' : 'check that the folder is writable',
    log,
  })
  const topology = topologyFor(config.AMQP_NAMESPACE)
  const metrics = createMetricsRegistry('kitchen')
  const countOrder = createOrderMetrics(metrics, 'kitchen')
  // This process, never a reusable instance name: it names the claims it takes and the units it cooks.
  const kitchenName = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`
  log.info({ kitchen: kitchenName }, 'kitchen incarnation')
  const bus = await connectBus(busOptionsFrom(config, { topology, log, connectionName: `kitchen ${kitchenName}`, metrics: createBusMetrics(metrics) }))
  // Only sold-out marks come from Redis; without it the kitchen goes on with the last menu it read.
  const redis = createRedis(config, log)
  const menu = createMenuAvailability(redis, log)
  const clock = { now: Date.now, sleep: (ms: number, signal: AbortSignal) => sleep(Math.max(0, ms), undefined, { signal }) }
  const kitchen = createKitchen({
    store,
    announce: async (order, correlationId) => {
      await bus.publish(routingKeys.orderStatusChanged, { order }, correlationId)
      countOrder(order)
    },
    menu: menu.current,
    stations: createStations(stationCapacity, clock),
    speedFactor: config.KITCHEN_SPEED_FACTOR,
    maxStationWaitMs: config.AMQP_MAX_HOLD_MS,
    kitchen: kitchenName,
    leaseMs: config.KITCHEN_LEASE_MS,
    clock,
    metrics: createKitchenMetrics(metrics),
  })
  await bus.consume(topology.queues.kitchenOrders, OrderPlacedMessage, kitchen.prepare, { onGiveUp: kitchen.fail })
  await bus.consume(topology.queues.kitchenCancellations, CancelOrderMessage, kitchen.cancel)
  const app = await buildKitchenApp({
    log,
    store,
    dependencies: {
      rabbitmq: { check: async () => bus.assertConnected() },
      store: { check: () => store.ping() },
      // Only sold-out marks come from it; the kitchen goes on with the last menu it read.
      redis: { check: () => redis.ping(), optional: true },
    },
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
    identitySecret: config.IDENTITY_SECRET,
    metrics,
  })

  async function close(): Promise<void> {
    await bus.cancelConsumers()
    kitchen.close()
    await app.close()
    await bus.close()
    await store.close()
    redis.disconnect()
  }
  return { app, store, metrics, close }
}
