import type { Redis } from 'ioredis'

/**
 * The replication id (`master_replid`) of the Redis a client is connected to: a replica promoted to master starts a
 * new one, and what was written under the old one may have been lost on the way.
 */
export async function replicationIdOf(redis: Redis): Promise<string> {
  const info = await redis.info('replication')
  const id = /^master_replid:(\w+)/m.exec(info)?.[1]
  if (id === undefined) throw new Error('Redis did not tell its replication id')
  return id
}

/** The same, as a Lua expression: a script reads the id of the very Redis that runs it, in the same step. */
export const REPLICATION_ID_LUA = "string.match(redis.call('INFO', 'replication'), 'master_replid:(%w+)')"
