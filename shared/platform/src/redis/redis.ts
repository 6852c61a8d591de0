import { Redis, ReplyError } from 'ioredis'
import type { Logger } from 'pino'
import type { RedisSettings } from '../runtime/config.js'

/**
 * A Redis client that never makes a request wait long: commands fail fast while Redis is away (no
 * offline queue) and ioredis reconnects by itself. Callers decide what failing means for them.
 */
export function createRedis(config: RedisSettings, log: Logger): Redis {
  const redis = new Redis(config.REDIS_URL, {
    keyPrefix: config.REDIS_PREFIX,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // Commands issued in the same turn of the event loop go out in one write: under load, far fewer system calls.
    enableAutoPipelining: true,
  })
  redis.on('error', (err: Error) => log.debug({ err: err.message }, 'redis error'))
  return redis
}

// Replies in which Redis speaks of itself (loading its data, busy, read-only, failing over), not of the command.
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/

/** Whether a failed command says that Redis cannot serve now (no connection, a timeout, such a reply) rather than that the command was wrong. */
export function isRedisUnavailable(err: unknown): boolean {
  return !(err instanceof ReplyError) || UNAVAILABLE_REPLY.test((err as Error).message)
}
