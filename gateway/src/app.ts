import type { IncomingHttpHeaders } from 'node:http'
import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import proxy from '@fastify/http-proxy'
import jwt from '@fastify/jwt'
import rateLimit from '@fastify/rate-limit'
import type { Redis } from 'ioredis'
import type { Registry } from 'prom-client'
import { createApiKeys } from '@restaurant/platform/auth/api-keys'
import { registerHealthRoutes } from '@restaurant/platform/http/health'
import { buildHttpServer, REQUEST_ID_HEADER, type HttpServer, type RouteOf } from '@restaurant/platform/http/server'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { registerMetrics } from '@restaurant/platform/runtime/metrics'
import { withTraceContext } from '@restaurant/platform/runtime/tracing'
import { createAuthenticator } from './authentication.js'
import { listOf, type GatewayConfig } from './config.js'
import { guardPublicRoutes } from './front-door.js'
import { createIdentityForwarding } from './identity-forwarding.js'
import { registerPages } from './pages.js'
import { publicRouteOf } from './route-allowlist.js'
import { redisStoreWithLocalFallback } from './rate-limit-store.js'
import { jwtOptions, tokenSettingsFrom } from './tokens.js'
import { replyWithUpstreamError } from './upstream-errors.js'

export interface GatewayDeps {
  log: Logger
  /** API keys and rate limits; the gateway keeps serving JWT callers while it is away. */
  redis: Redis
  /** The gateway's metrics, served at /metrics. */
  metrics: Registry
}

/**
 * The front door: it authenticates and authorizes every documented `/api` route, applies the rate limits,
 * and forwards what passes to the waiter with a signed identity; `/docs` shows the contract. It holds no
 * domain rules.
 */
export async function buildGatewayApp(config: GatewayConfig, { log, redis, metrics }: GatewayDeps): Promise<HttpServer> {
  const upstreamTimeoutMs = config.UPSTREAM_TIMEOUT_MS
  // Latencies and spans by documented route: every proxied call matches the proxy's one `/api/*` route.
  const routeOf: RouteOf = (request) => publicRouteOf(request.method, request.url.split('?')[0] ?? '')?.path
  const app = await buildHttpServer(log, {
    trustProxy: listOf(config.TRUST_PROXY),
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
    routeOf,
  })
  await registerMetrics(app, metrics, routeOf)
  // The pages load only their own scripts; no upgrade to https, which a plain-http development stack lacks.
  await app.register(helmet, { contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'upgrade-insecure-requests': null } } })
  await app.register(cors, {
    origin: listOf(config.CORS_ORIGINS),
    exposedHeaders: [REQUEST_ID_HEADER, 'location', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
  })
  const tokens = tokenSettingsFrom(config)
  await app.register(jwt, jwtOptions(tokens))
  await app.register(rateLimit, { global: false, store: redisStoreWithLocalFallback(redis, log) })
  const identityOf = guardPublicRoutes(app, createAuthenticator(app, createApiKeys(redis)), {
    perAddress: { max: config.RATE_LIMIT_PER_ADDRESS, timeWindowMs: config.RATE_LIMIT_WINDOW_MS },
    perCredential: { max: config.RATE_LIMIT_PER_CREDENTIAL, timeWindowMs: config.RATE_LIMIT_WINDOW_MS },
    orderQuota: { max: config.ORDER_QUOTA, timeWindowMs: config.ORDER_QUOTA_WINDOW_MS },
  })
  registerHealthRoutes(app, {
    waiter: { check: () => readinessOf(config.WAITER_URL, upstreamTimeoutMs) },
    kitchen: { check: () => readinessOf(config.KITCHEN_URL, upstreamTimeoutMs) },
    // Without Redis the gateway still serves JWT callers, limiting them in memory.
    redis: { check: () => redis.ping(), optional: true },
  })
  const forwardedHeaders = createIdentityForwarding(config.IDENTITY_SECRET)
  const toWaiter = {
    upstream: config.WAITER_URL,
    undici: { headersTimeout: upstreamTimeoutMs, bodyTimeout: upstreamTimeoutMs },
    replyOptions: {
      onError: replyWithUpstreamError,
      rewriteRequestHeaders: (request: { id: string }, headers: IncomingHttpHeaders) =>
        withTraceContext(forwardedHeaders(headers, identityOf(request), request.id)),
    },
  }
  await app.register(proxy, { ...toWaiter, prefix: '/api', rewritePrefix: '/api' })
  await app.register(proxy, { ...toWaiter, prefix: '/docs', rewritePrefix: '/docs', httpMethods: ['GET', 'HEAD'] })
  await registerPages(app, { devSignIn: config.DEV_SIGN_IN, tokens })
  return app
}

/** An upstream's own readiness report; throws with it when the upstream is not ready. */
async function readinessOf(baseUrl: string, timeoutMs: number): Promise<unknown> {
  const response = await fetch(new URL('/ready', baseUrl), { signal: AbortSignal.timeout(timeoutMs) })
  const report: unknown = await response.json().catch(() => undefined)
  if (!response.ok) throw new Error(`answered ${response.status}`, { cause: report })
  return report
}
