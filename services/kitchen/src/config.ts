import { Type } from 'typebox'
import { backendConfig, loadConfig } from '@restaurant/platform/runtime/config'

export const kitchenConfigSchema = {
  ...backendConfig,
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3002 }),
  MONGO_URL: Type.Optional(Type.String({ minLength: 1 })),
  MONGO_DB: Type.String({ default: 'restaurant' }),
  DATA_DIR: Type.String({ default: './data' }),
  KITCHEN_SPEED_FACTOR: Type.Number({ minimum: 0, default: 1 }),
  KITCHEN_LEASE_MS: Type.Integer({ minimum: 300, maximum: 600_000, default: 10_000 }),
}

export function loadKitchenConfig(env?: Record<string, string | undefined>) {
  return loadConfig(kitchenConfigSchema, env)
}
export type KitchenConfig = ReturnType<typeof loadKitchenConfig>
