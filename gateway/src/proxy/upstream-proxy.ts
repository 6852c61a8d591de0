import type { IncomingHttpHeaders } from 'node:http'
import createError from '@fastify/error'
import proxy from '@fastify/http-proxy'
import type { Identity } from '@restaurant/contracts/identity'
import type { ServiceSigner } from '@restaurant/platform/auth/service-tokens'
import type { HttpServer } from '@restaurant/platform/http/server'
import { withTraceContext } from '@restaurant/platform/runtime/tracing'
import { createIdentityForwarding } from '../front-door/identity-forwarding.js'
import { replyWithUpstreamError } from './upstream-errors.js'
import { failoverAcross } from './upstream-failover.js'

const BodyTooDeepError = createError('BODY_TOO_DEEP', 'The JSON body is nested too deeply to forward', 400)

export interface UpstreamSettings {
  /** The waiter's replicas: requests are spread over them, and one that refuses a connection is passed over. */
  waiterUrls: readonly [string, ...string[]]
  /** How long the waiter has to send its headers, and then between two chunks of its body. */
  timeoutMs: number
  /** Signs each forwarded request's identity for the waiter. */
  sign: ServiceSigner
}

/**
 * Forwards `/api` and `/docs` to the waiter (its errors become problems), with the caller `identityOf`
 * returns signed into the headers, and the correlation id and trace context passed on.
 */
export async function registerUpstreamProxy(app: HttpServer, settings: UpstreamSettings, identityOf: (request: object) => Identity): Promise<void> {
  const forwardedHeaders = createIdentityForwarding(settings.sign)
  const [first] = settings.waiterUrls
  const toWaiter = {
    // reply-from takes a list as its base (undici's BalancedPool); http-proxy passes `upstream` on as that base but
    // types it as one URL (fastify/fastify-http-proxy#428), and checks each path against `getUpstream`'s origin.
    upstream: settings.waiterUrls as unknown as string,
    undici: { headersTimeout: settings.timeoutMs, bodyTimeout: settings.timeoutMs },
    replyOptions: {
      getUpstream: () => first,
      retryDelay: failoverAcross(settings.waiterUrls.length),
      onError: replyWithUpstreamError,
      rewriteRequestHeaders: (request: { id: string; method: string; url: string }, headers: IncomingHttpHeaders) =>
        withTraceContext(forwardedHeaders(headers, identityOf(request), request)),
    },
  }
  await app.register(async (scope) => {
    // Bodies are held whole rather than streamed (JSON parsed, and encoded again by reply-from): undici destroys a
    // stream it could not send, so only a held body can go to the next replica.
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
    // Encoding a parsed body again overflows the stack on one nested too deeply: the client's error, not ours.
    // (Fastify's own RangeErrors, a body too large among them, carry their status code.)
    scope.setErrorHandler((error) => {
      throw error instanceof RangeError && !('statusCode' in error) ? new BodyTooDeepError() : error
    })
    const held = { proxyPayloads: false }
    await scope.register(proxy, { ...toWaiter, ...held, prefix: '/api', rewritePrefix: '/api' })
    await scope.register(proxy, { ...toWaiter, ...held, prefix: '/docs', rewritePrefix: '/docs', httpMethods: ['GET', 'HEAD'] })
  })
}
