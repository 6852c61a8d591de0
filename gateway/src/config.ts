import { Type } from 'typebox'
import { commonConfig, DEVELOPMENT_SECRETS, gatewaySigningConfig, isProduction, loadConfig, portSetting, redisConfig } from '@restaurant/platform/runtime/config'
import { upstreamListSetting } from '@restaurant/platform/runtime/upstreams'

export const gatewayConfigSchema = {
  ...commonConfig,
  ...redisConfig,
  ...gatewaySigningConfig,
  PORT: portSetting(3000),
  INTERNAL_PORT: portSetting(9100),
  WAITER_URL: upstreamListSetting('http://127.0.0.1:3001'),
  KITCHEN_URL: upstreamListSetting('http://127.0.0.1:3002'),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 30_000 }),
  CORS_ORIGINS: Type.String({ default: 'http://localhost:3000,http://127.0.0.1:3000' }),
  TRUST_PROXY: Type.String({ default: '' }),
  JWT_SECRET: Type.String({ minLength: 32, default: DEVELOPMENT_SECRETS.JWT_SECRET }),
  JWT_ISSUER: Type.String({ minLength: 1, default: 'restaurant' }),
  JWT_AUDIENCE: Type.String({ minLength: 1, default: 'restaurant-api' }),
  // The longest a user token may be issued to live (`exp` - `iat`): a working shift. Tokens end, or are revoked, sooner.
  JWT_MAX_LIFETIME_SECONDS: Type.Integer({ minimum: 60, maximum: 604_800, default: 43_200 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1_000, default: 60_000 }),
  RATE_LIMIT_PER_ADDRESS: Type.Integer({ minimum: 1, default: 1_200 }),
  // The IPv6 network counted as one address: a subscriber commonly holds a whole /64.
  RATE_LIMIT_IPV6_PREFIX: Type.Integer({ minimum: 32, maximum: 128, default: 64 }),
  RATE_LIMIT_PER_CREDENTIAL: Type.Integer({ minimum: 1, default: 600 }),
  ORDER_QUOTA: Type.Integer({ minimum: 1, default: 100 }),
  // Open event streams one credential may hold at once, across every gateway.
  MAX_STREAMS_PER_CREDENTIAL: Type.Integer({ minimum: 1, default: 5 }),
  // How often an open event stream's API key is checked: a revoked key's streams end within this.
  STREAM_CREDENTIAL_CHECK_MS: Type.Integer({ minimum: 100, default: 5_000 }),
  ORDER_QUOTA_WINDOW_MS: Type.Integer({ minimum: 1_000, default: 3_600_000 }),
  // Lets the web pages ask for a customer or staff token: for a development stack only (`npm start` sets it).
  DEV_SIGN_IN: Type.Boolean({ default: false }),
}

/** A comma-separated setting as a list, without empty entries. */
export function listOf(setting: string): string[] {
  return setting
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
}

export function loadGatewayConfig(env?: Record<string, string | undefined>) {
  const config = loadConfig(gatewayConfigSchema, env)
  if (config.DEV_SIGN_IN && isProduction(config)) throw new Error('env/DEV_SIGN_IN must be false in production')
  return config
}
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>
