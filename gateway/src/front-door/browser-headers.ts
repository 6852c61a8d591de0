import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import { REQUEST_ID_HEADER, type HttpServer } from '@restaurant/platform/http/server'

/** What browsers are told: security headers on every answer, and CORS for the allowed origins only. */
export async function registerBrowserHeaders(app: HttpServer, allowedOrigins: string[]): Promise<void> {
  // The pages load only their own scripts; no upgrade to https, which a plain-http development stack lacks.
  await app.register(helmet, { contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'upgrade-insecure-requests': null } } })
  await app.register(cors, {
    origin: allowedOrigins,
    exposedHeaders: [REQUEST_ID_HEADER, 'location', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
  })
}
