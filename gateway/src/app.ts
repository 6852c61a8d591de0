import jwt from '@fastify/jwt'
import rateLimit from '@fastify/rate-limit'
import type { Redis } from 'ioredis'
import type { Registry } from 'prom-client'
import { signingKeyFrom } from '@restaurant/platform/auth/service-keys'
import { createServiceSigner } from '@restaurant/platform/auth/service-tokens'
import type { DependencyCheck } from '@restaurant/platform/http/health'
import { buildHttpServer, type HttpServer, type RouteOf } from '@restaurant/platform/http/server'
import type { Logger } from '@restaurant/platform/runtime/logger'
import { measureRoutes } from '@restaurant/platform/runtime/metrics'
import { upstreamUrls } from '@restaurant/platform/runtime/upstreams'
import { createCredentialChecks } from './auth/credential-checks.js'
import { jwtOptions, tokenSettingsFrom } from './auth/tokens.js'
import { createWaiterCredentials } from './auth/waiter-credentials.js'
import { listOf, type GatewayConfig } from './config.js'
import { createAuthenticator } from './front-door/authentication.js'
import { registerBrowserHeaders } from './front-door/browser-headers.js'
import { redisStoreWithLocalFallback } from './front-door/rate-limit-store.js'
import { publicRouteOf } from './front-door/route-allowlist.js'
import { guardPublicRoutes, type FrontDoorLimits } from './front-door/route-guard.js'
import { createStreamCredentials } from './front-door/stream-credentials.js'
import { createStreamQuota } from './front-door/stream-quota.js'
import { warnOfUntrustedProxy } from './front-door/untrusted-proxy-warning.js'
import { registerDevSignIn } from './pages/dev-sign-in.js'
import { registerStaticPages } from './pages/static-pages.js'
import { registerUpstreamProxy } from './proxy/upstream-proxy.js'
import { someReplicaAnswers } from './proxy/upstream-answers.js'

export interface GatewayDeps {
  log: Logger
  /** Rate limits and the cache of API keys and revocations; while it is away the gateway asks the waiter for those. */
  redis: Redis
  /** The gateway's metrics (served on its internal port), where its routes are timed. */
  metrics: Registry
}

// A stream's place in its credential's quota outlives a gateway that died with it open by at most this.
const STREAM_LEASE_MS = 30_000

// Latencies and spans by documented route: every proxied call matches the proxy's one `/api/*` route.
const routeOf: RouteOf = (request) => publicRouteOf(request.method, request.url.split('?')[0] ?? '')?.path

/**
 * The front door: it authenticates and authorizes every documented `/api` route, applies the rate limits,
 * and forwards what passes to the waiter with a signed identity; `/docs` shows the contract. It holds no
 * domain rules.
 */
export async function buildGatewayApp(config: GatewayConfig, { log, redis, metrics }: GatewayDeps): Promise<HttpServer> {
  const app = await buildHttpServer(log, {
    trustProxy: listOf(config.TRUST_PROXY),
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
    routeOf,
  })
  await measureRoutes(app, metrics, routeOf)
  warnOfUntrustedProxy(app, listOf(config.TRUST_PROXY))
  await registerBrowserHeaders(app, listOf(config.CORS_ORIGINS))
  const tokens = tokenSettingsFrom(config)
  await app.register(jwt, jwtOptions(tokens))
  await app.register(rateLimit, { global: false, store: redisStoreWithLocalFallback(redis, log) })
  const upstream = { waiterUrls: upstreamUrls(config.WAITER_URL), timeoutMs: config.UPSTREAM_TIMEOUT_MS, sign: createServiceSigner('gateway', signingKeyFrom(config.GATEWAY_SIGNING_KEY, 'GATEWAY_SIGNING_KEY')) }
  const credentials = createCredentialChecks(redis, createWaiterCredentials(upstream), log)
  const streams = {
    hold: createStreamQuota(redis, { maxPerCredential: config.MAX_STREAMS_PER_CREDENTIAL, leaseMs: STREAM_LEASE_MS }),
    endWithCredential: createStreamCredentials(app, credentials, config.STREAM_CREDENTIAL_CHECK_MS),
  }
  const identityOf = guardPublicRoutes(app, createAuthenticator(app, credentials, config.JWT_MAX_LIFETIME_SECONDS), frontDoorLimitsOf(config), streams)
  await registerUpstreamProxy(app, upstream, identityOf)
  await registerStaticPages(app)
  if (config.DEV_SIGN_IN) registerDevSignIn(app, tokens, config.JWT_MAX_LIFETIME_SECONDS)
  return app
}

/**
 * What the gateway's `/ready` checks: that it reaches the waiter and the kitchen (any answer on their public ports;
 * their own readiness is theirs to report) and Redis, without which it still serves JWT callers, limiting them in memory.
 */
export function gatewayReadiness(config: GatewayConfig, redis: Pick<Redis, 'ping'>): Record<string, DependencyCheck> {
  return {
    waiter: { check: () => someReplicaAnswers(upstreamUrls(config.WAITER_URL), config.UPSTREAM_TIMEOUT_MS) },
    kitchen: { check: () => someReplicaAnswers(upstreamUrls(config.KITCHEN_URL), config.UPSTREAM_TIMEOUT_MS) },
    redis: { check: () => redis.ping(), optional: true },
  }
}

function frontDoorLimitsOf(config: GatewayConfig): FrontDoorLimits {
  return {
    perAddress: { max: config.RATE_LIMIT_PER_ADDRESS, timeWindowMs: config.RATE_LIMIT_WINDOW_MS },
    ipv6PrefixLength: config.RATE_LIMIT_IPV6_PREFIX,
    perCredential: { max: config.RATE_LIMIT_PER_CREDENTIAL, timeWindowMs: config.RATE_LIMIT_WINDOW_MS },
    orderQuota: { max: config.ORDER_QUOTA, timeWindowMs: config.ORDER_QUOTA_WINDOW_MS },
  }
}
