import { once } from 'node:events'
import { Redis, ReplyError, type RedisOptions as ClientOptions, type SentinelAddress } from 'ioredis'
import type { Logger } from 'pino'
import { DEFAULT_REDIS_MASTER_NAME, type RedisSettings } from '../runtime/config.js'
import { redactUrl, waitFor } from '../runtime/wait-for.js'

const CONNECT_WAIT_MS = 1_000
// While the master is away the Sentinels are asked this often at most for the one they promote: ioredis's own
// backoff grows to seconds, which a failover of two or three seconds would add to.
const MAX_RECONNECT_PAUSE_MS = 500
const SENTINEL_COMMAND_TIMEOUT_MS = 1_000

export interface RedisOptions {
  /** For blocking reads (`XREAD BLOCK`), on a connection of their own: no command timeout, no pipelining. */
  blocking?: boolean
}

/**
 * A Redis client that never makes a request wait long: commands fail fast while Redis is away (no
 * offline queue) and ioredis reconnects by itself. Callers decide what failing means for them.
 * Given Sentinels, it connects to the master they name and follows a failover: when its connection closes (the
 * master gone, or demoted) or a demoted master answers READONLY, it reconnects to the master they name then.
 */
export function createRedis(config: RedisSettings, log: Logger, { blocking = false }: RedisOptions = {}): Redis {
  const options: ClientOptions = {
    keyPrefix: config.REDIS_PREFIX,
    ...(blocking ? {} : { commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS }),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // Commands issued in the same turn of the event loop go out in one write: under load, far fewer system calls.
    enableAutoPipelining: !blocking,
    reconnectOnError: (err) => err.message.startsWith('READONLY'),
    ...sentinelOptions(config),
  }
  // With Sentinels, REDIS_URL still gives the master's password and database; its host is theirs to name.
  const redis = new Redis(config.REDIS_URL, options)
  redis.on('error', (err: Error) => log.debug({ err: err.message, blocking }, 'redis error'))
  return redis
}

function sentinelOptions({ REDIS_SENTINELS = '', REDIS_MASTER_NAME = DEFAULT_REDIS_MASTER_NAME, REDIS_SENTINEL_PASSWORD }: RedisSettings): ClientOptions {
  if (REDIS_SENTINELS === '') return {}
  return {
    sentinels: sentinelAddresses(REDIS_SENTINELS),
    name: REDIS_MASTER_NAME,
    ...(REDIS_SENTINEL_PASSWORD ? { sentinelPassword: REDIS_SENTINEL_PASSWORD } : {}),
    // Not ioredis's failoverDetector: told of `+switch-master` while it reconnects (the master killed), it closes the
    // connector under the reconnection, which then ends for good ("Connection is closed"; ioredis 6.0). A failover
    // closes the clients' connections anyway: the master is gone, or demoted, which disconnects its clients.
    sentinelCommandTimeout: SENTINEL_COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_PAUSE_MS),
  }
}

/** `host:port,host:port` as ioredis takes Sentinels; the port follows the last colon, so an IPv6 host keeps its own. */
export function sentinelAddresses(list: string): SentinelAddress[] {
  return list.split(',').map((address) => {
    const colon = address.lastIndexOf(':')
    return { host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(colon + 1)) }
  })
}

/** Where the client connects, as a person would look for it: the URL (password masked), or the Sentinels and the master's name. */
export function describeRedis({ REDIS_URL, REDIS_SENTINELS = '', REDIS_MASTER_NAME = DEFAULT_REDIS_MASTER_NAME }: RedisSettings): string {
  return REDIS_SENTINELS === '' ? `Redis at ${redactUrl(REDIS_URL)}` : `Redis master ${REDIS_MASTER_NAME} of the Sentinels at ${REDIS_SENTINELS}`
}

/** A client as `createRedis` makes it, once Redis answers: a service waits for it at start-up, saying how to start it. */
export async function connectRedis(config: RedisSettings, log: Logger, options: RedisOptions = {}): Promise<Redis> {
  const redis = createRedis(config, log, options)
  await waitFor(() => answers(redis), {
    what: describeRedis(config),
    hint: config.REDIS_SENTINELS ? 'start them with `bash scripts/redis-sentinel.sh start`' : 'start it with `redis-server --daemonize yes` (or `docker compose up -d redis`)',
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
