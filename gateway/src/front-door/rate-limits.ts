import createError from '@fastify/error'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { CreateRateLimitOptions } from '@fastify/rate-limit'
import type { LimiterStoreOptions } from './rate-limit-store.js'

export const TooManyRequestsError = createError('TOO_MANY_REQUESTS', 'Too many requests: %s; retry in %d s', 429)
export const LimiterUnavailableError = createError('RATE_LIMITER_UNAVAILABLE', 'This route is unavailable while its rate limiter is: %s', 503)

export interface LimitSettings {
  max: number
  timeWindowMs: number
}

export type Limiter = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

/**
 * One budget (requests per window) for the key `keyOf` gives each request, counted by @fastify/rate-limit.
 * Answers carry `RateLimit-*`; past the budget, `429` with `Retry-After`. `what` names the budget.
 */
export function createLimiter(
  app: FastifyInstance,
  what: string,
  { max, timeWindowMs }: LimitSettings,
  keyOf: (request: FastifyRequest) => string,
  store: LimiterStoreOptions,
): Limiter {
  const options: CreateRateLimitOptions & LimiterStoreOptions = { max, timeWindow: timeWindowMs, keyGenerator: keyOf, ...store }
  const check = app.createRateLimit(options)
  return async (request, reply) => {
    const result = await check(request).catch((err: unknown) => {
      throw new LimiterUnavailableError(err instanceof Error ? err.message : String(err), { cause: err })
    })
    if (result.isAllowed) return
    void reply.header('ratelimit-limit', result.max).header('ratelimit-remaining', result.remaining).header('ratelimit-reset', result.ttlInSeconds)
    if (!result.isExceeded) return
    throw Object.assign(new TooManyRequestsError(what, result.ttlInSeconds), { retryAfterSeconds: result.ttlInSeconds })
  }
}
