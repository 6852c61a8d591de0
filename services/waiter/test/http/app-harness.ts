import type { Test } from 'tap'
import { IDENTITY_HEADER, type Identity } from '@restaurant/contracts/identity'
import type { AuditLog } from '@restaurant/platform/audit/audit-log'
import type { ApiKeyChanges } from '@restaurant/platform/audit/key-management'
import type { ApiKey } from '@restaurant/platform/auth/api-keys'
import type { ServiceVerifier } from '@restaurant/platform/auth/service-tokens'
import { createMetricsRegistry } from '@restaurant/platform/runtime/metrics'
import type { OrderEvent, OrderEventHub } from '../../src/adapters/order-event-hub.js'
import { memoryAuditLog } from '../../../../shared/platform/test/audit/memory-audit-log.js'
import { buildWaiterApp } from '../../src/app.js'
import { createPartners } from '../../src/use-cases/partners.js'
import { createWaiter } from '../../src/use-cases/waiter.js'
import { memoryPartnerStore } from '../use-cases/memory-partner-store.js'
import { testCredentials } from './test-credentials.js'
import { busWithKitchen, capturedLog, fakeKitchen, fakeMenu, fakeReservations, fakeViews } from '../use-cases/fake-ports.js'

/** An event hub in memory: `emit` hands an event to the live subscribers and keeps it for replays. */
export function fakeHub() {
  const listeners = new Set<(event: OrderEvent) => void>()
  const events: OrderEvent[] = []
  const hub: OrderEventHub = {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    orderEvents: async (orderId, afterId) => events.filter((event) => event.orderId === orderId && (!afterId || event.id > afterId)),
    allEvents: async (afterId) => events.filter((event) => event.id > afterId),
    close: async () => undefined,
  }
  const emit = (event: OrderEvent) => {
    events.push(event)
    for (const listener of listeners) listener(event)
  }
  return { hub, events, emit, listening: () => listeners.size }
}

/** API keys in a map; `down` makes every call fail as Redis would. */
export function fakeApiKeys() {
  const keys = new Map<string, ApiKey>()
  const state = { down: false, keys }
  const available = () => {
    if (state.down) throw new Error('Connection is closed.')
  }
  const apiKeys: ApiKeyChanges = {
    async create({ name, roles }) {
      available()
      const apiKey = { id: (keys.size + 1).toString(16).padStart(12, '0'), name, roles, createdAt: '2026-01-02T03:04:05.000Z' }
      keys.set(apiKey.id, apiKey)
      return { key: `rk_${apiKey.id}_secret`, apiKey }
    },
    async list() {
      available()
      return [...keys.values()]
    },
    async revoke(id) {
      available()
      const key = keys.get(id)
      return key && { ...key, revokedAt: '2026-01-02T04:00:00.000Z' }
    },
  }
  return Object.assign(state, { apiKeys })
}

/**
 * Route tests call as the gateway would, the identity in the header as it is: what a signed token must be, and
 * that a forged, replayed or misdirected one is refused, is tested with real tokens (identity-guard, service-tokens).
 */
const trustingVerifier: ServiceVerifier = (header) => {
  if (!header) throw new Error('no identity')
  return { caller: 'gateway', identity: JSON.parse(header) as Identity }
}

/** The waiter's app, its use cases on in-memory ports, its metrics, and a way to call it as the gateway would. */
export async function buildTestApp(t: Test) {
  const { bus, received, topology } = await busWithKitchen(t)
  const ports = { views: fakeViews(), reservations: fakeReservations(), kitchen: fakeKitchen(), menu: fakeMenu(), hub: fakeHub(), apiKeys: fakeApiKeys(), audit: memoryAuditLog() }
  const { log, lines } = capturedLog()
  const metrics = createMetricsRegistry('unit')
  const { credentials, cached } = await testCredentials(t)
  const waiter = createWaiter({
    views: ports.views.views,
    reservations: ports.reservations.reservations,
    kitchen: ports.kitchen.kitchen,
    publish: bus.publish,
    menu: ports.menu.menu,
    menuOwner: ports.menu.menuOwner,
    audit: ports.audit.audit,
    now: () => new Date(),
    moved: () => undefined,
    orderIdSecret: 'order-id-secret-for-tests',
    maxUnitsPerOrder: 40,
    viewRefreshAfterMs: 5_000,
    viewTtlMs: 604_800_000,
  })
  const app = await buildWaiterApp({
    log,
    waiter,
    apiKeys: ports.apiKeys.apiKeys,
    credentials,
    audit: ports.audit.audit,
    verifyCaller: trustingVerifier,
    maxEventLoopDelayMs: 1_000,
    topology,
    events: { hub: ports.hub.hub, heartbeatMs: 5_000, maxUnreadBytes: 65_536 },
    metrics,
    partners: testPartners(bus.publish, ports.audit.audit),
  })
  t.teardown(() => app.close())
  const headersOf = (identity: Identity) => ({ [IDENTITY_HEADER]: JSON.stringify(identity) })
  return { app, bus, received, lines, headersOf, metrics, cached, ...ports }
}

/** The partner use cases on an in-memory store; a URL on `refused.example` is refused, nothing is ever sent. */
function testPartners(publish: Parameters<typeof createPartners>[0]['publish'], audit: AuditLog) {
  return createPartners({
    store: memoryPartnerStore().store,
    sender: { send: async () => ({ statusCode: 204, latencyMs: 1 }) },
    checkDestination: async (url) => (url.includes('refused.example') ? 'resolves to 10.0.0.1, which is not public (private)' : undefined),
    publish,
    now: () => new Date(),
    newSecret: () => `whsec_${Buffer.from('a test secret of 32 bytes, padded').toString('base64')}`,
    policy: { retryDelaysMs: [100], pauseAfterMs: 60_000 },
    maxInFlight: 4,
    slowAfterMs: 1_000,
    logKeep: 100,
    secretOverlapMs: 60_000,
    audit,
  })
}
