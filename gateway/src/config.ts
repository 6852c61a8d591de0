import { Type } from 'typebox'
import { commonConfig, loadConfig } from '@restaurant/shared'

export const gatewayConfigSchema = {
  ...commonConfig,
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  WAITER_URL: Type.String({ default: 'http://127.0.0.1:3001' }),
  KITCHEN_URL: Type.String({ default: 'http://127.0.0.1:3002' }),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 30_000 }),
  CORS_ORIGINS: Type.String({ default: 'http://localhost:3000,http://127.0.0.1:3000' }),
  TRUST_PROXY: Type.String({ default: '' }),
}

/** A comma-separated setting as a list, without empty entries. */
export function listOf(setting: string): string[] {
  return setting
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
}

export function loadGatewayConfig(env?: Record<string, string | undefined>) {
  return loadConfig(gatewayConfigSchema, env)
}
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>
