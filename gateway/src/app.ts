import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import proxy from '@fastify/http-proxy'
import { buildHttpServer, REQUEST_ID_HEADER, registerHealthRoutes, type HttpServer, type Logger } from '@restaurant/shared'
import { forwardOnlyPublicRoutes } from './route-allowlist.js'
import { replyWithUpstreamError } from './upstream-errors.js'

export interface GatewayOptions {
  log: Logger
  waiterUrl: string
  kitchenUrl: string
  upstreamTimeoutMs: number
  /** Origins a browser may call the API from; none when empty. */
  corsOrigins: string[]
  trustProxy: string[]
  requestTimeoutMs: number
}

/**
 * The front door: the documented `/api` routes go to the waiter with the request's correlation id, and
 * `/docs` shows its contract. The gateway holds no domain rules.
 */
export function buildGatewayApp(options: GatewayOptions): HttpServer {
  const { log, waiterUrl, kitchenUrl, upstreamTimeoutMs } = options
  const app = buildHttpServer(log, { trustProxy: options.trustProxy, requestTimeoutMs: options.requestTimeoutMs })
  void app.register(helmet, { contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"] } } })
  void app.register(cors, { origin: options.corsOrigins, exposedHeaders: [REQUEST_ID_HEADER, 'location', 'retry-after'] })
  forwardOnlyPublicRoutes(app)
  registerHealthRoutes(app, async () => {
    await Promise.all([assertReady('waiter', waiterUrl, upstreamTimeoutMs), assertReady('kitchen', kitchenUrl, upstreamTimeoutMs)])
  })
  const toWaiter = {
    upstream: waiterUrl,
    undici: { headersTimeout: upstreamTimeoutMs, bodyTimeout: upstreamTimeoutMs },
    replyOptions: {
      onError: replyWithUpstreamError,
      rewriteRequestHeaders: (request: { id: string }, headers: Record<string, unknown>) => ({ ...headers, [REQUEST_ID_HEADER]: request.id }),
    },
  }
  void app.register(proxy, { ...toWaiter, prefix: '/api', rewritePrefix: '/api' })
  void app.register(proxy, { ...toWaiter, prefix: '/docs', rewritePrefix: '/docs', httpMethods: ['GET', 'HEAD'] })
  return app
}

async function assertReady(name: string, baseUrl: string, timeoutMs: number): Promise<void> {
  const response = await fetch(new URL('/ready', baseUrl), { signal: AbortSignal.timeout(timeoutMs) }).catch(() => undefined)
  if (!response?.ok) throw new Error(`${name} is not ready`)
}
