import type { Redis } from 'ioredis'
import type { Tally } from './counter-deltas.js'

/** What Redis has done so far: calls by command, and reads from its clients (round trips, pipelines counting once). */
export interface RedisWork {
  calls: Tally
  readsProcessed: number
}

// The benchmark's own readings are INFO calls: they are not the services' work.
const ownCommands = new Set(['info'])

/** Reads `INFO commandstats stats` text (`cmdstat_get:calls=12,usec=…` lines, `total_reads_processed:…`). */
export function parseRedisWork(info: string): RedisWork {
  const calls: Tally = {}
  for (const [, command, count] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (command && !ownCommands.has(command)) calls[command] = Number(count)
  }
  const reads = /^total_reads_processed:(\d+)/m.exec(info)?.[1]
  if (reads === undefined) throw new Error('INFO answered without total_reads_processed')
  return { calls, readsProcessed: Number(reads) }
}

/** One reading, in one round trip (INFO takes several sections since Redis 7). */
export async function readRedisWork(redis: Redis): Promise<RedisWork> {
  return parseRedisWork(await redis.info('commandstats', 'stats'))
}
