import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import amqp, { type ChannelModel } from 'amqplib'
import { Redis } from 'ioredis'
import { topologyFor } from '@restaurant/contracts/messages'
import { deleteTopology, type QueuePolicy } from '@restaurant/platform/messaging/rabbit-topology'

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/**
 * Names, Redis keys, files and (given a MongoDB URL) a database that belong to one test only, and the clean-up
 * that removes them (the database's collections).
 */
export interface RunPlaces {
  /** A database of the run's own on the MongoDB there. */
  mongoUrl?: string
  /** The broker's members (the machine's node unless given): the run's topology is removed through the first that answers. */
  amqpUrls?: readonly string[]
}

export async function isolatedRun(policy: Pick<QueuePolicy, 'retryDelaysMs' | 'setAsideMs'>, { mongoUrl, amqpUrls = [AMQP_URL] }: RunPlaces = {}) {
  const namespace = `test-${randomUUID()}`
  const dataDir = await mkdtemp(join(tmpdir(), 'restaurant-test-'))
  const mongoDb = namespace.replaceAll('-', '_')
  return {
    namespace,
    dataDir,
    redisPrefix: `${namespace}:`,
    mongoDb,
    async cleanUp() {
      await removeTopology(namespace, policy, amqpUrls)
      await removeRedisKeys(`${namespace}:`)
      await rm(dataDir, { recursive: true, force: true })
      if (mongoUrl) await emptyMongoDatabase(mongoUrl, mongoDb)
    },
  }
}

interface MongoClientLike {
  db(name: string): { collections(): Promise<Array<{ drop(): Promise<unknown> }>> }
  close(): Promise<void>
}

/**
 * Empties a run's database with the kitchen's own driver (the tests' package does not depend on it). Its
 * collections are dropped, not the database: FerretDB 1.24 on SQLite deletes a dropped database's files while
 * operations it still runs for clients gone (a busy store's backlog) read them, and dies of SIGBUS.
 */
export async function emptyMongoDatabase(url: string, name: string): Promise<void> {
  const kitchen = createRequire(join(import.meta.dirname, '..', '..', 'services', 'kitchen', 'package.json'))
  const { MongoClient } = kitchen('mongodb') as { MongoClient: new (url: string, options: object) => MongoClientLike }
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 })
  try {
    for (const collection of await client.db(name).collections()) await collection.drop()
  } finally {
    await client.close()
  }
}

async function removeTopology(namespace: string, policy: Pick<QueuePolicy, 'retryDelaysMs' | 'setAsideMs'>, amqpUrls: readonly string[]): Promise<void> {
  const connection = await connectToBroker(amqpUrls)
  try {
    await deleteTopology(await connection.createChannel(), topologyFor(namespace), policy)
  } finally {
    await connection.close()
  }
}

/** A connection to the first of the broker's members that takes one. */
export async function connectToBroker(urls: readonly string[] = [AMQP_URL]): Promise<ChannelModel> {
  let failure: unknown
  for (const url of urls) {
    try {
      return await amqp.connect(url)
    } catch (err) {
      failure = err
    }
  }
  throw new Error(`no broker member took a connection (${urls.length} tried)`, { cause: failure })
}

export async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL)
  try {
    // Batch by batch: a run of a benchmark leaves hundreds of thousands of keys, too many for one call's arguments.
    for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 500 })) {
      const keys = batch as string[]
      if (keys.length > 0) await redis.unlink(...keys)
    }
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
