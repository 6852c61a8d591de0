import { createRedis, runService } from '@restaurant/shared'
import { buildGatewayApp } from './app.js'
import { loadGatewayConfig } from './config.js'

runService('gateway', () => loadGatewayConfig(), async (config, log) => {
  const redis = createRedis(config, log)
  const app = await buildGatewayApp(config, { log, redis })
  return {
    app,
    close: async () => {
      await app.close()
      redis.disconnect()
    },
  }
})
