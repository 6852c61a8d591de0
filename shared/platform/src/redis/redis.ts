import { once } from 'node:events'
import { Redis, ReplyError } from 'ioredis'
import type { Logger } from 'pino'
import type { RedisSettings } from '../runtime/config.js'
import { redactUrl, waitFor } from '../runtime/wait-for.js'

const CONNECT_WAIT_MS = 1_000

export interface RedisOptions {
  /** For blocking reads (`XREAD BLOCK`), on a connection of their own: no command timeout, no pipelining. */
  blocking?: boolean
}

/**
 * A Redis client that never makes a request wait long: commands fail fast while Redis is away (no
 * offline queue) and ioredis reconnects by itself. Callers decide what failing means for them.
 */
export function createRedis(config: RedisSettings, log: Logger, { blocking = false }: RedisOptions = {}): Redis {
  const redis = new Redis(config.REDIS_URL, {
    keyPrefix: config.REDIS_PREFIX,
    ...(blocking ? {} : { commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS }),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // Commands issued in the same turn of the event loop go out in one write: under load, far fewer system calls.
    enableAutoPipelining: !blocking,
  })
  redis.on('error', (err: Error) => log.debug({ err: err.message, blocking }, 'redis error'))
  return redis
}

/** A client as `createRedis` makes it, once Redis answers: a service waits for it at start-up, saying how to start it. */
export async function connectRedis(config: RedisSettings, log: Logger, options: RedisOptions = {}): Promise<Redis> {
  const redis = createRedis(config, log, options)
  await waitFor(() => answers(redis), {
    what: `Redis at ${redactUrl(config.REDIS_URL)}`,
    hint: 'start it with `redis-server --daemonize yes` (or `docker compose up -d redis`)',
    log,
  })
  return redis
}

/** Resolves once the client is connected and Redis answers: a ping before the first connection would only fail. */
async function answers(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') await once(redis, 'ready', { signal: AbortSignal.timeout(CONNECT_WAIT_MS) })
  await redis.ping()
}

// Replies in which Redis speaks of itself (loading its data, busy, read-only, failing over), not of the command.
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/

/** Whether a failed command says that Redis cannot serve now (no connection, a timeout, such a reply) rather than that the command was wrong. */
export function isRedisUnavailable(err: unknown): boolean {
  return !(err instanceof ReplyError) || UNAVAILABLE_REPLY.test((err as Error).message)
}
