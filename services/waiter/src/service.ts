import { OrderStatusChangedMessage, topologyFor } from '@restaurant/contracts'
import { createApiKeys } from '@restaurant/platform/auth/api-keys'
import { createIdentitySigner } from '@restaurant/platform/auth/identity-tokens'
import { busOptionsFrom, connectBus } from '@restaurant/platform/messaging/rabbit-bus'
import { createMenuAvailability } from '@restaurant/platform/redis/menu-availability'
import { createRedis } from '@restaurant/platform/redis/redis'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { createBusMetrics, createMetricsRegistry, createOrderMetrics } from '@restaurant/platform/runtime/metrics'
import { withSpans } from '@restaurant/platform/runtime/tracing'
import { redactUrl, waitFor } from '@restaurant/platform/runtime/wait-for'
import { buildWaiterApp } from './app.js'
import type { WaiterConfig } from './config.js'
import { createKitchenClient } from './kitchen-client.js'
import { createOrderEventHub } from './order-event-hub.js'
import { createOrderViews } from './order-views.js'
import { createWaiter } from './waiter.js'

/**
 * Wires the waiter: Redis, bus, the status consumer and the HTTP app (not yet listening). `close` stops
 * intake first (new requests get 503), lets in-flight ones finish, then drains the consumer.
 */
// The waiter reads the kitchen's records on behalf of its callers, whom it has already authorized.
const waiterIdentity = { subject: 'service:waiter', roles: [] }

export async function startWaiterService(config: WaiterConfig, log: Logger) {
  const redis = createRedis(config, log)
  await waitFor(() => redis.ping(), {
    what: `Redis at ${redactUrl(config.REDIS_URL)}`,
    hint: 'start it with `redis-server --daemonize yes` (or `docker compose up -d redis`)',
    log,
  })
  const topology = topologyFor(config.AMQP_NAMESPACE)
  const metrics = createMetricsRegistry('waiter')
  const countOrder = createOrderMetrics(metrics, 'waiter')
  const bus = await connectBus(busOptionsFrom(config, { topology, log, connectionName: 'waiter', metrics: createBusMetrics(metrics) }))
  const views = withSpans('order-views', createOrderViews(redis, {
    viewTtlSeconds: config.VIEW_TTL_SECONDS,
    idempotencyTtlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
  }))
  const signIdentity = createIdentitySigner(config.IDENTITY_SECRET)
  const waiter = createWaiter({
    views,
    kitchen: createKitchenClient({ baseUrl: config.KITCHEN_URL, timeoutMs: config.KITCHEN_TIMEOUT_MS, identity: () => signIdentity(waiterIdentity) }),
    publish: bus.publish,
    menu: createMenuAvailability(redis, log),
    now: () => new Date(),
    orderIdSecret: config.ORDER_ID_SECRET,
    maxUnitsPerOrder: config.MAX_UNITS_PER_ORDER,
    viewRefreshAfterMs: config.VIEW_REFRESH_AFTER_MS,
    moved: countOrder,
  })
  const hub = createOrderEventHub(config, redis, log)
  await bus.consume(topology.queues.waiterStatus, OrderStatusChangedMessage, waiter.applyStatus)
  const app = await buildWaiterApp({
    log,
    waiter,
    apiKeys: createApiKeys(redis),
    identitySecret: config.IDENTITY_SECRET,
    dependencies: {
      rabbitmq: { check: async () => bus.assertConnected() },
      // Without Redis the waiter still takes and shows orders (degraded), so only the broker decides readiness.
      redis: { check: () => redis.ping(), optional: true },
    },
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
    topology,
    events: { hub, heartbeatMs: config.SSE_HEARTBEAT_MS, maxUnreadBytes: config.SSE_MAX_UNREAD_BYTES },
    metrics,
  })

  async function close(): Promise<void> {
    await app.close()
    await bus.cancelConsumers()
    await bus.close()
    await hub.close()
    redis.disconnect()
  }
  return { app, redis, metrics, close }
}
