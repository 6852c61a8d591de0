import { performance } from 'node:perf_hooks'
import { Redis } from 'ioredis'
import { REDIS_URL } from '../test/support/isolation.js'
import { percentile } from './stats.js'

export interface RedisRun {
  pingMedianUs: number
  pingP99Us: number
  getMedianUs: number
  getP99Us: number
  pipelinedOpsPerSecond: number
}

// About the size of an order's view.
const value = 'x'.repeat(1000)

/**
 * Redis as the services reach it (ioredis, loopback): `roundTrips` PINGs and GETs one after another, each
 * timed, then `pipelined` GETs sent in pipelines of 1,000.
 */
export async function measureRedis(prefix: string, roundTrips: number, pipelined: number): Promise<RedisRun> {
  const redis = new Redis(REDIS_URL)
  const key = `${prefix}bench-value`
  try {
    await redis.set(key, value)
    const ping = await timeEach(roundTrips, () => redis.ping())
    const get = await timeEach(roundTrips, () => redis.get(key))
    const started = performance.now()
    for (let done = 0; done < pipelined; done += 1000) {
      const pipeline = redis.pipeline()
      for (let i = 0; i < Math.min(1000, pipelined - done); i++) pipeline.get(key)
      await pipeline.exec()
    }
    const seconds = (performance.now() - started) / 1000
    return {
      pingMedianUs: percentile(ping, 0.5),
      pingP99Us: percentile(ping, 0.99),
      getMedianUs: percentile(get, 0.5),
      getP99Us: percentile(get, 0.99),
      pipelinedOpsPerSecond: pipelined / seconds,
    }
  } finally {
    await redis.del(key)
    redis.disconnect()
  }
}

/** Microseconds each of `count` sequential calls took, sorted. */
async function timeEach(count: number, call: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    await call()
    times.push((performance.now() - started) * 1000)
  }
  return times.sort((a, b) => a - b)
}

/** The server's version, for the machine description. */
export async function redisVersion(): Promise<string> {
  const redis = new Redis(REDIS_URL)
  try {
    return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown'
  } finally {
    redis.disconnect()
  }
}
