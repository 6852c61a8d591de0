import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import createError from '@fastify/error'
import { FastifyOtelInstrumentation } from '@fastify/otel'
import type { Span } from '@opentelemetry/api'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import underPressure from '@fastify/under-pressure'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyRequest } from 'fastify'
import type { Logger } from 'pino'
import { requireJsonBodies } from './json-only.js'
import { answerRouterError, registerProblemHandlers } from './problems.js'
import { tracingEnabled } from '../runtime/tracing.js'

export const REQUEST_ID_HEADER = 'x-request-id'
const safeRequestId = /^[\w.:-]{1,128}$/

/** Correlation ids: a well-formed `x-request-id` is kept, anything else is replaced by a new UUID. */
export function genRequestId(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER]
  return typeof given === 'string' && safeRequestId.test(given) ? given : randomUUID()
}

export interface HttpServerOptions {
  bodyLimit?: number
  /** Addresses of the proxies whose X-Forwarded-* headers are believed; none by default. */
  trustProxy?: string[]
  /** How long a whole request may take before the server answers 408 and closes it. */
  requestTimeoutMs?: number
  /** Event-loop delay beyond which requests are shed with 503 rather than queued behind the backlog. */
  maxEventLoopDelayMs?: number
  /** The route a request's span is named after, where the matched Fastify route says too little (a proxy). */
  routeOf?: RouteOf
}

/** The route template a request is for, if known: the label of its latency series and the name of its span. */
export type RouteOf = (request: FastifyRequest) => string | undefined

export const OverloadedError = createError('OVERLOADED', 'The service is overloaded (%s); try again shortly', 503)

/**
 * The Fastify instance every service starts from: correlation ids echoed to callers, strict validation
 * (unknown properties are refused, not silently dropped), JSON-only bodies, problem+json errors, load
 * shedding (@fastify/under-pressure) and, when tracing is on, a span per request (@fastify/otel).
 */
export async function buildHttpServer(log: Logger, options: HttpServerOptions = {}) {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    requestIdHeader: false,
    genReqId: genRequestId,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    trustProxy: options.trustProxy && options.trustProxy.length > 0 ? options.trustProxy : false,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    // Logged by the hooks below instead, inside the request's span, so that both lines carry its trace id.
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors: answerRouterError,
  })
  if (tracingEnabled()) {
    // Spans are named by the HTTP conventions, `GET /api/orders/:id`, rather than `request`.
    const requestHook = (span: Span, request: FastifyRequest) => {
      const route = options.routeOf?.(request) ?? request.routeOptions.url
      if (route) span.updateName(`${request.method} ${route}`).setAttribute('http.route', route)
    }
    await app.register(new FastifyOtelInstrumentation({ requestHook }).plugin())
  }
  app.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id)
    request.log.info({ req: request }, 'incoming request')
  })
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ res: reply, responseTime: reply.elapsedTime }, 'request completed')
  })
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs ?? 1_000,
    pressureHandler: (_request, _reply, type) => {
      throw new OverloadedError(String(type))
    },
  })
  // JSON only: any other media type is answered 415 rather than parsed as text.
  app.removeContentTypeParser('text/plain')
  requireJsonBodies(app)
  registerProblemHandlers(app)
  return app.withTypeProvider<TypeBoxTypeProvider>()
}

export type HttpServer = Awaited<ReturnType<typeof buildHttpServer>>
