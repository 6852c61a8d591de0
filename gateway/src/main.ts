import { runService } from '@restaurant/shared'
import { buildGatewayApp } from './app.js'
import { listOf, loadGatewayConfig } from './config.js'

runService('gateway', () => loadGatewayConfig(), async (config, log) => {
  const app = buildGatewayApp({
    log,
    waiterUrl: config.WAITER_URL,
    kitchenUrl: config.KITCHEN_URL,
    upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    corsOrigins: listOf(config.CORS_ORIGINS),
    trustProxy: listOf(config.TRUST_PROXY),
  })
  return { app, close: () => app.close() }
})
