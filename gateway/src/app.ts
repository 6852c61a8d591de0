import proxy from '@fastify/http-proxy'
import { buildHttpServer, REQUEST_ID_HEADER, registerHealthRoutes, type HttpServer, type Logger } from '@restaurant/shared'
import { replyWithUpstreamError } from './upstream-errors.js'

export interface GatewayOptions {
  log: Logger
  waiterUrl: string
  kitchenUrl: string
  upstreamTimeoutMs: number
}

/** The front door: `/api/*` goes to the waiter with the request's correlation id; the gateway holds no domain rules. */
export function buildGatewayApp({ log, waiterUrl, kitchenUrl, upstreamTimeoutMs }: GatewayOptions): HttpServer {
  const app = buildHttpServer(log)
  registerHealthRoutes(app, async () => {
    await Promise.all([assertReady('waiter', waiterUrl, upstreamTimeoutMs), assertReady('kitchen', kitchenUrl, upstreamTimeoutMs)])
  })
  void app.register(proxy, {
    upstream: waiterUrl,
    prefix: '/api',
    rewritePrefix: '/api',
    undici: { headersTimeout: upstreamTimeoutMs, bodyTimeout: upstreamTimeoutMs },
    replyOptions: {
      onError: replyWithUpstreamError,
      rewriteRequestHeaders: (request, headers) => ({ ...headers, [REQUEST_ID_HEADER]: request.id }),
    },
  })
  return app
}

async function assertReady(name: string, baseUrl: string, timeoutMs: number): Promise<void> {
  const response = await fetch(new URL('/ready', baseUrl), { signal: AbortSignal.timeout(timeoutMs) }).catch(() => undefined)
  if (!response?.ok) throw new Error(`${name} is not ready`)
}
