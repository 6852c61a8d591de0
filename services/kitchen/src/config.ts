import { Type } from 'typebox'
import { commonConfig, identityConfig, loadConfig, menuCopyConfig, portSetting, rabbitConfig } from '@restaurant/platform/runtime/config'

// No Redis: the kitchen keeps its tickets and the menu (sold-out marks included) in its own store.
export const kitchenConfigSchema = {
  ...commonConfig,
  ...rabbitConfig,
  ...identityConfig,
  ...menuCopyConfig,
  PORT: portSetting(3002),
  INTERNAL_PORT: portSetting(9102),
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
