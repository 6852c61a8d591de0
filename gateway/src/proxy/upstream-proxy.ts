import type { IncomingHttpHeaders } from 'node:http'
import proxy from '@fastify/http-proxy'
import type { Identity } from '@restaurant/contracts/identity'
import type { HttpServer } from '@restaurant/platform/http/server'
import { withTraceContext } from '@restaurant/platform/runtime/tracing'
import { createIdentityForwarding } from '../front-door/identity-forwarding.js'
import { replyWithUpstreamError } from './upstream-errors.js'

export interface UpstreamSettings {
  waiterUrl: string
  /** How long the waiter has to send its headers, and then between two chunks of its body. */
  timeoutMs: number
  identitySecret: string
}

/**
 * Forwards `/api` and `/docs` to the waiter (its errors become problems), with the caller `identityOf`
 * returns signed into the headers, and the correlation id and trace context passed on.
 */
export async function registerUpstreamProxy(app: HttpServer, settings: UpstreamSettings, identityOf: (request: object) => Identity): Promise<void> {
  const forwardedHeaders = createIdentityForwarding(settings.identitySecret)
  const toWaiter = {
    upstream: settings.waiterUrl,
    undici: { headersTimeout: settings.timeoutMs, bodyTimeout: settings.timeoutMs },
    replyOptions: {
      onError: replyWithUpstreamError,
      rewriteRequestHeaders: (request: { id: string }, headers: IncomingHttpHeaders) =>
        withTraceContext(forwardedHeaders(headers, identityOf(request), request.id)),
    },
  }
  await app.register(proxy, { ...toWaiter, prefix: '/api', rewritePrefix: '/api' })
  await app.register(proxy, { ...toWaiter, prefix: '/docs', rewritePrefix: '/docs', httpMethods: ['GET', 'HEAD'] })
}
