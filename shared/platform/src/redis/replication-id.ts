import type { Redis } from 'ioredis'

/**
 * The replication id (`master_replid`) of the Redis a client is connected to, learnt whenever its connection
 * becomes ready (every reconnection, a failover's included) and kept, so that asking costs no round trip. A
 * replica promoted to master starts a new id: what was written under the old one may have been lost on the way.
 * Asked before the id is known, it waits for the answer; a failed look is forgotten, and the next ask looks again.
 */
export function trackReplicationId(redis: Redis): () => Promise<string> {
  let current: Promise<string> | undefined
  const learn = (): Promise<string> => {
    const learning = replicationIdOf(redis)
    current = learning
    learning.catch(() => {
      if (current === learning) current = undefined
    })
    return learning
  }
  redis.on('ready', learn)
  return () => current ?? learn()
}

async function replicationIdOf(redis: Redis): Promise<string> {
  const info = await redis.info('replication')
  const id = /^master_replid:(\w+)/m.exec(info)?.[1]
  if (id === undefined) throw new Error('Redis did not tell its replication id')
  return id
}
