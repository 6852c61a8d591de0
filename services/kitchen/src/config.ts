import { Type } from 'typebox'
import { commonConfig, loadConfig, menuCopyConfig, portSetting, rabbitConfig, storeConfig, waiterTrustConfig } from '@restaurant/platform/runtime/config'

// No Redis: the kitchen keeps its tickets and the menu (sold-out marks included) in its own store.
export const kitchenConfigSchema = {
  ...commonConfig,
  ...rabbitConfig,
  ...waiterTrustConfig,
  ...menuCopyConfig,
  PORT: portSetting(3002),
  INTERNAL_PORT: portSetting(9102),
  ...storeConfig,
  KITCHEN_SPEED_FACTOR: Type.Number({ minimum: 0, default: 1 }),
  KITCHEN_LEASE_MS: Type.Integer({ minimum: 300, maximum: 600_000, default: 10_000 }),
}

export function loadKitchenConfig(env?: Record<string, string | undefined>) {
  return loadConfig(kitchenConfigSchema, env)
}
export type KitchenConfig = ReturnType<typeof loadKitchenConfig>
