import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import amqp from 'amqplib'
import { Redis } from 'ioredis'
import { deleteTopology, topologyFor, type QueuePolicy } from '@restaurant/shared'

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Names, Redis keys and files that belong to one test only, and the clean-up that removes them. */
export async function isolatedRun(policy: Pick<QueuePolicy, 'retryDelaysMs' | 'setAsideMs'>) {
  const namespace = `test-${randomUUID()}`
  const dataDir = await mkdtemp(join(tmpdir(), 'restaurant-test-'))
  return {
    namespace,
    dataDir,
    redisPrefix: `${namespace}:`,
    async cleanUp() {
      await removeTopology(namespace, policy)
      await removeRedisKeys(`${namespace}:`)
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

async function removeTopology(namespace: string, policy: Pick<QueuePolicy, 'retryDelaysMs' | 'setAsideMs'>): Promise<void> {
  const connection = await amqp.connect(AMQP_URL)
  try {
    await deleteTopology(await connection.createChannel(), topologyFor(namespace), policy)
  } finally {
    await connection.close()
  }
}

export async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL)
  try {
    const keys: string[] = []
    for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 500 })) keys.push(...(batch as string[]))
    if (keys.length > 0) await redis.del(...keys)
  } finally {
    redis.disconnect()
  }
}

/** Polls until `probe` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
}

/** Messages ready on a queue (unacked deliveries of a closed consumer count again once returned). */
export async function queueDepth(queue: string): Promise<number> {
  const connection = await amqp.connect(AMQP_URL)
  try {
    return (await (await connection.createChannel()).checkQueue(queue)).messageCount
  } finally {
    await connection.close()
  }
}
