import { Type } from 'typebox'
import { commonConfig, loadConfig } from '@restaurant/shared'

export const gatewayConfigSchema = {
  ...commonConfig,
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  WAITER_URL: Type.String({ default: 'http://127.0.0.1:3001' }),
  KITCHEN_URL: Type.String({ default: 'http://127.0.0.1:3002' }),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000 }),
}

export function loadGatewayConfig(env?: Record<string, string | undefined>) {
  return loadConfig(gatewayConfigSchema, env)
}
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>
