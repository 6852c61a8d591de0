import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Registry } from 'prom-client'
import { MenuChangedMessage, OrderStatusChangedMessage, routingKeys, topologyFor } from '@restaurant/contracts/messages'
import type { AuditLog } from '@restaurant/platform/audit/audit-log'
import { createCredentialCache } from '@restaurant/platform/auth/credential-cache'
import { signingKeyFrom, verifyingKeysFrom } from '@restaurant/platform/auth/service-keys'
import { createServiceSigner, createServiceVerifier } from '@restaurant/platform/auth/service-tokens'
import type { DependencyCheck } from '@restaurant/platform/http/health'
import type { Bus } from '@restaurant/platform/messaging/bus'
import { busOptionsFrom, connectBus } from '@restaurant/platform/messaging/rabbit-bus'
import { keepMenuCopy, type MenuCopy } from '@restaurant/platform/menu/menu-copy'
import { connectRedis } from '@restaurant/platform/redis/redis'
import { openAuditLog } from '@restaurant/platform/stores/open-audit-log'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { createBusMetrics, createMetricsRegistry, createOrderMetrics } from '@restaurant/platform/runtime/metrics'
import { withSpans } from '@restaurant/platform/runtime/tracing'
import { upstreamUrls } from '@restaurant/platform/runtime/upstreams'
import { createCredentialStore } from './adapters/credential-store/create-credential-store.js'
import { createIdempotencyReservations } from './adapters/idempotency-reservations.js'
import { createKitchenClient, type KitchenClient } from './adapters/kitchen-client.js'
import { createOrderEventHub } from './adapters/order-event-hub.js'
import { createOrderViews } from './adapters/order-views.js'
import { buildWaiterApp } from './app.js'
import { startPartners } from './partner-service.js'
import type { WaiterConfig } from './config.js'
import type { MenuOwner, Publish } from './use-cases/ports.js'
import { createManageCredentials } from './use-cases/manage-credentials.js'
import { createWaiter } from './use-cases/waiter.js'

// The waiter reads the kitchen's records on behalf of its callers, whom it has already authorized.
const waiterIdentity = { subject: 'service:waiter', roles: [] }

/**
 * Wires the waiter: Redis, bus, the status consumer, the HTTP app (not yet listening) and what its `/ready`
 * checks. `close` stops intake first (new requests get 503), lets in-flight ones finish, then drains the consumer.
 */
export async function startWaiterService(config: WaiterConfig, log: Logger) {
  const redis = await connectRedis(config, log)
  const reader = await connectRedis(config, log, { blocking: true })
  const topology = topologyFor(config.AMQP_NAMESPACE)
  const metrics = createMetricsRegistry('waiter')
  const bus = await connectBus(busOptionsFrom(config, { topology, log, connectionName: 'waiter', metrics: createBusMetrics(metrics) }))
  const sign = createServiceSigner('waiter', signingKeyFrom(config.WAITER_SIGNING_KEY, 'WAITER_SIGNING_KEY'))
  const kitchen = createKitchenClient({ kitchenUrls: upstreamUrls(config.KITCHEN_URL), timeoutMs: config.KITCHEN_TIMEOUT_MS, identity: (call) => sign('kitchen', waiterIdentity, call) })
  const menu = await followMenu(config, kitchen, bus, log)
  const audit = await openAuditLog(config)
  const waiter = wireWaiter(config, { redis, log, metrics, publish: bus.publish, kitchen, menu, audit })
  const hub = createOrderEventHub({ reader, redis }, log)
  await bus.consume(topology.queues.waiterStatus, OrderStatusChangedMessage, waiter.applyStatus)
  const partners = await startPartners(config, { bus, topology, log, audit })
  const credentialStore = await createCredentialStore(config)
  const credentials = createManageCredentials({ store: credentialStore, cache: createCredentialCache(redis), now: () => new Date(), log })
  redis.on('ready', () => void credentials.healCache().catch((err: unknown) => log.warn({ err }, 'credential cache not marked for refill')))
  const app = await buildWaiterApp({
    log,
    waiter,
    apiKeys: credentials.keys,
    credentials,
    audit,
    verifyCaller: createServiceVerifier('waiter', { gateway: verifyingKeysFrom(config.GATEWAY_PUBLIC_KEYS, 'GATEWAY_PUBLIC_KEYS') }),
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
    topology,
    events: { hub, heartbeatMs: config.SSE_HEARTBEAT_MS, maxUnreadBytes: config.SSE_MAX_UNREAD_BYTES },
    metrics,
    partners: partners.partners,
  })

  async function close(): Promise<void> {
    menu.close()
    await app.close()
    await bus.cancelConsumers()
    await bus.close()
    await partners.close()
    await credentialStore.close()
    await audit.close()
    await hub.close()
    redis.disconnect()
  }
  return { app, redis, metrics, readiness: readinessChecks(bus, redis, menu), close }
}

/**
 * What `/ready` checks. Without Redis the waiter still takes and shows orders (degraded); without its copy of the
 * menu (until the kitchen first answers) it can price nothing.
 */
function readinessChecks(bus: Pick<Bus, 'assertConnected'>, redis: Pick<Redis, 'ping'>, menu: Pick<MenuCopy, 'current'>): Record<string, DependencyCheck> {
  return {
    rabbitmq: { check: async () => bus.assertConnected() },
    redis: { check: () => redis.ping(), optional: true },
    menu: { check: async () => void menu.current() },
  }
}

/** This waiter's copy of the menu, which the kitchen owns: loaded from its API, then kept up by its announcements. */
function followMenu(config: WaiterConfig, kitchen: MenuOwner, bus: Pick<Bus, 'subscribe'>, log: Logger): Promise<MenuCopy> {
  return keepMenuCopy({
    load: async () => (await kitchen.menu(`menu-copy-${randomUUID()}`)).items,
    follow: (onChange, onSubscribed) => bus.subscribe(routingKeys.menuChanged, MenuChangedMessage, ({ item }) => onChange(item), { onSubscribed }),
    reloadEveryMs: config.MENU_RELOAD_MS,
    log,
  })
}

/** The use cases over their adapters: views and reservations in Redis, the kitchen over HTTP, the bus, the menu's copy. */
function wireWaiter(config: WaiterConfig, deps: { redis: Redis; log: Logger; metrics: Registry; publish: Publish; kitchen: KitchenClient; menu: MenuCopy; audit: AuditLog }) {
  const { redis, metrics } = deps
  return createWaiter({
    views: withSpans('order-views', createOrderViews(redis, { viewTtlSeconds: config.VIEW_TTL_SECONDS })),
    reservations: withSpans('idempotency-reservations', createIdempotencyReservations(redis, { ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS })),
    kitchen: deps.kitchen,
    menuOwner: deps.kitchen,
    publish: deps.publish,
    menu: deps.menu,
    audit: deps.audit,
    now: () => new Date(),
    moved: createOrderMetrics(metrics, 'waiter'),
    orderIdSecret: config.ORDER_ID_SECRET,
    maxUnitsPerOrder: config.MAX_UNITS_PER_ORDER,
    viewRefreshAfterMs: config.VIEW_REFRESH_AFTER_MS,
    viewTtlMs: config.VIEW_TTL_SECONDS * 1000,
  })
}
