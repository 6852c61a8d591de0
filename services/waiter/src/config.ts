import { Type } from 'typebox'
import { backendConfig, DEVELOPMENT_SECRETS, loadConfig, portSetting } from '@restaurant/platform/runtime/config'
import { upstreamListSetting } from '@restaurant/platform/runtime/upstreams'

export const waiterConfigSchema = {
  ...backendConfig,
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
}

export function loadWaiterConfig(env?: Record<string, string | undefined>) {
  return loadConfig(waiterConfigSchema, env)
}
export type WaiterConfig = ReturnType<typeof loadWaiterConfig>
