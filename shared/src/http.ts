import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger } from 'fastify'
import type { Logger } from 'pino'
import { requireJsonBodies } from './json-only.js'
import { buildProblem, PROBLEM_CONTENT_TYPE, registerProblemHandlers } from './problems.js'

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
}

/**
 * The Fastify instance every service starts from: correlation ids echoed to callers, strict validation
 * (unknown properties are refused, not silently dropped), JSON-only bodies and problem+json errors.
 */
export function buildHttpServer(log: Logger, options: HttpServerOptions = {}) {
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    requestIdHeader: false,
    genReqId: genRequestId,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    trustProxy: options.trustProxy && options.trustProxy.length > 0 ? options.trustProxy : false,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  })
  app.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id)
  })
  // JSON only: any other media type is answered 415 rather than parsed as text.
  app.removeContentTypeParser('text/plain')
  requireJsonBodies(app)
  registerProblemHandlers(app)
  return app.withTypeProvider<TypeBoxTypeProvider>()
}

export type HttpServer = ReturnType<typeof buildHttpServer>

/** `/health`: the process is up. `/ready`: its dependencies answer; `check` throws naming what is not. */
export function registerHealthRoutes(app: HttpServer, check: () => Promise<void>): void {
  app.get('/health', async () => ({ status: 'ok' }))
  app.get('/ready', async (request, reply) => {
    try {
      await check()
      return { status: 'ready' }
    } catch (err) {
      request.log.warn({ err }, 'not ready')
      const detail = err instanceof Error ? err.message : String(err)
      return reply.code(503).type(PROBLEM_CONTENT_TYPE).send(buildProblem(503, 'not-ready', 'Not ready', { detail }))
    }
  })
}
