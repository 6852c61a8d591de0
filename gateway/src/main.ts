import { createRedis } from '@restaurant/platform/redis/redis'
import { createMetricsRegistry } from '@restaurant/platform/runtime/metrics'
import { runService } from '@restaurant/platform/runtime/run-service'
import { buildGatewayApp, gatewayReadiness } from './app.js'
import { loadGatewayConfig } from './config.js'

runService('gateway', () => loadGatewayConfig(), async (config, log) => {
  const redis = createRedis(config, log)
  const metrics = createMetricsRegistry('gateway')
  const app = await buildGatewayApp(config, { log, redis, metrics })
  return {
    app,
    metrics,
    readiness: gatewayReadiness(config, redis),
    close: async () => {
      await app.close()
      redis.disconnect()
    },
  }
})
