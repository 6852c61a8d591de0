import { once } from 'node:events'
import type { Test } from 'tap'
import { createCredentialCache } from '@restaurant/platform/auth/credential-cache'
import { createRedis } from '@restaurant/platform/redis/redis'
import { createLogger, type Logger } from '@restaurant/platform/runtime/logger'
import { createMetricsRegistry } from '@restaurant/platform/runtime/metrics'
import { buildGatewayApp } from '../../gateway/src/app.js'
import { loadGatewayConfig } from '../../gateway/src/config.js'
import { removeRedisKeys } from './isolation.js'

/** Limits high enough that only the tests about limits meet them. */
export const generousLimits = { RATE_LIMIT_PER_ADDRESS: '1000000', RATE_LIMIT_PER_CREDENTIAL: '1000000', ORDER_QUOTA: '1000000', MAX_STREAMS_PER_CREDENTIAL: '1000000' }

/**
 * The gateway in this process in front of `waiterUrl`, on the machine's real Redis under the run's prefix
 * (a fresh one unless given). Its Redis client and metrics are returned for tests that inspect or break them.
 */
export async function startGateway(
  t: Test,
  waiterUrl: string,
  env: Record<string, string> = {},
  { waitForRedis = true, log = createLogger({ name: 'test-gateway', level: 'silent', pretty: false }) }: { waitForRedis?: boolean; log?: Logger } = {},
) {
  const ownPrefix = env.REDIS_PREFIX === undefined
  const config = loadGatewayConfig({
    NODE_ENV: 'test',
    REDIS_PREFIX: `test-gateway-${process.pid}-${Math.random().toString(36).slice(2)}:`,
    WAITER_URL: waiterUrl,
    KITCHEN_URL: waiterUrl,
    // Above the waiter's SSE heartbeat (5 s), so that a quiet event stream is not cut.
    UPSTREAM_TIMEOUT_MS: '8000',
    REQUEST_TIMEOUT_MS: '5000',
    ...generousLimits,
    ...env,
  })
  const redis = createRedis(config, log)
  const metrics = createMetricsRegistry('gateway')
  const gateway = await buildGatewayApp(config, { log, redis, metrics })
  t.teardown(async () => {
    await gateway.close()
    redis.disconnect()
    if (ownPrefix) await removeRedisKeys(config.REDIS_PREFIX)
  })
  await gateway.ready()
  if (waitForRedis && redis.status !== 'ready') await once(redis, 'ready')
  // Its cache of credentials counts as filled (with what it holds: nothing revoked, unless the test shares a waiter's
  // prefix), so that the waiters stood in for need not serve the internal credential routes.
  if (waitForRedis) await markCredentialsCached(redis)
  return { gateway, redis, config, metrics }
}

async function markCredentialsCached(redis: Parameters<typeof createCredentialCache>[0]): Promise<void> {
  const cache = createCredentialCache(redis)
  await cache.fill({ keys: [], subjects: [], tokens: [] }, await cache.runId())
}
