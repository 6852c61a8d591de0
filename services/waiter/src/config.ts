import { Type } from 'typebox'
import { backendConfig, DEVELOPMENT_SECRETS, gatewayTrustConfig, isProduction, loadConfig, portSetting, storeConfig, waiterSigningConfig } from '@restaurant/platform/runtime/config'
import { upstreamListSetting } from '@restaurant/platform/runtime/upstreams'

export const waiterConfigSchema = {
  ...backendConfig,
  ...gatewayTrustConfig,
  ...waiterSigningConfig,
  PORT: portSetting(3001),
  INTERNAL_PORT: portSetting(9101),
  KITCHEN_URL: upstreamListSetting('http://127.0.0.1:3002'),
  KITCHEN_TIMEOUT_MS: Type.Integer({ minimum: 10, default: 2_000 }),
  MAX_UNITS_PER_ORDER: Type.Integer({ minimum: 1, default: 40 }),
  // A non-terminal view unchanged for this long is checked against the kitchen when read.
  VIEW_REFRESH_AFTER_MS: Type.Integer({ minimum: 100, default: 5_000 }),
  ORDER_ID_SECRET: Type.String({ minLength: 16, default: DEVELOPMENT_SECRETS.ORDER_ID_SECRET }),
  IDEMPOTENCY_TTL_SECONDS: Type.Integer({ minimum: 1, default: 86_400 }),
  VIEW_TTL_SECONDS: Type.Integer({ minimum: 1, default: 604_800 }),
  // Below the gateway's UPSTREAM_TIMEOUT_MS, so that a quiet stream is never taken for a dead upstream.
  SSE_HEARTBEAT_MS: Type.Integer({ minimum: 100, default: 5_000 }),
  SSE_MAX_UNREAD_BYTES: Type.Integer({ minimum: 1_024, default: 262_144 }),
  ...storeConfig,
  ...partnerConfig(),
}

/** Webhooks and the event feed, which the waiter keeps in its own store. */
function partnerConfig() {
  return {
    WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 5_000 }),
    // After each failed attempt, the wait before the next: about 21 hours from the first to the last.
    WEBHOOK_RETRY_DELAYS_MS: Type.String({ pattern: '^[0-9]+(,[0-9]+)*$', default: '60000,300000,1800000,7200000,21600000,43200000' }),
    // A subscription whose deliveries have all failed for this long is paused (its deliveries are then kept).
    WEBHOOK_PAUSE_AFTER_MS: Type.Integer({ minimum: 1_000, default: 259_200_000 }),
    // Attempts one waiter makes at once to one subscription; one that hangs or fails gets one at a time.
    WEBHOOK_MAX_IN_FLIGHT: Type.Integer({ minimum: 1, maximum: 100, default: 8 }),
    WEBHOOK_SECRET_OVERLAP_MS: Type.Integer({ minimum: 0, default: 86_400_000 }),
    WEBHOOK_LOG_KEEP: Type.Integer({ minimum: 1, maximum: 100_000, default: 1_000 }),
    // Development and tests only: plain http and loopback or private receivers. Production refuses it.
    WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: Type.Boolean({ default: false }),
    FEED_RETENTION_HOURS: Type.Integer({ minimum: 1, default: 168 }),
  }
}

export function loadWaiterConfig(env?: Record<string, string | undefined>) {
  const config = loadConfig(waiterConfigSchema, env)
  if (config.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS && isProduction(config)) {
    throw new Error('env/WEBHOOK_ALLOW_PRIVATE_DESTINATIONS may not be true in production')
  }
  return config
}
export type WaiterConfig = ReturnType<typeof loadWaiterConfig>
