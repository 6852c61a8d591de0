import closeWithGrace from 'close-with-grace'
import { createLogger, runService } from '@restaurant/shared'
import { buildGatewayApp } from './app.js'
import { listOf, loadGatewayConfig } from './config.js'

runService('gateway', async () => {
  const config = loadGatewayConfig()
  const log = createLogger({ name: 'gateway', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY })
  const app = buildGatewayApp({
    log,
    waiterUrl: config.WAITER_URL,
    kitchenUrl: config.KITCHEN_URL,
    upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    corsOrigins: listOf(config.CORS_ORIGINS),
    trustProxy: listOf(config.TRUST_PROXY),
  })
  await app.listen({ host: config.HOST, port: config.PORT })
  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS, logger: log }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'shutting down after an error')
    log.info({ signal }, 'shutting down')
    await app.close()
  })
})
