import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Test } from 'tap'
import { eventually } from './isolation.js'

const run = promisify(execFile)
const script = join(import.meta.dirname, '..', '..', 'scripts', 'redis-sentinel.sh')
// The script's defaults.
const SENTINEL_PORTS = [26391, 26392, 26393] as const
const MASTER_NAME = 'restaurant'

export interface SentinelOptions {
  /** How long the master may not answer before the Sentinels call it down. */
  downAfterMs?: number
  failoverTimeoutMs?: number
}

/** Redis with Sentinel as scripts/redis-sentinel.sh runs it, as a test sees it. */
export interface RedisSentinel {
  /** What the services get as REDIS_SENTINELS and REDIS_MASTER_NAME. */
  env: { REDIS_SENTINELS: string; REDIS_MASTER_NAME: string }
  /** The master the Sentinels name now, as a redis:// URL. */
  masterUrl(): Promise<string>
  /** SIGKILLs the master, as a machine that goes away; resolves with when, and which master that was. */
  killMaster(): Promise<{ killedAt: number; killedUrl: string }>
  /** Resolves once the Sentinels name a master other than `formerUrl` and it answers as one, with that master's URL. */
  promoted(formerUrl: string): Promise<string>
}

/**
 * A master, a replica and three Sentinels of the test's own (a start takes about 2 s), their failover delay
 * lowered so that a test sees it happen; stopped and their folders removed at teardown, whatever the test did to
 * them. Tests that kill the master must not share it with others running at the same time: they belong in the
 * fault suite, whose files run one at a time.
 */
export async function startRedisSentinel(t: Test, { downAfterMs = 1_000, failoverTimeoutMs = 5_000 }: SentinelOptions = {}): Promise<RedisSentinel> {
  const env = { ...process.env, SENTINEL_DOWN_AFTER_MS: String(downAfterMs), SENTINEL_FAILOVER_TIMEOUT_MS: String(failoverTimeoutMs) }
  t.teardown(() => run('bash', [script, 'stop']))
  await run('bash', [script, 'start'], { env })
  const masterUrl = async () => {
    const address = await cli(`redis://127.0.0.1:${SENTINEL_PORTS[0]}`, 'sentinel', 'get-master-addr-by-name', MASTER_NAME)
    return `redis://${address.trim().split('\n').join(':')}`
  }
  return {
    env: { REDIS_SENTINELS: SENTINEL_PORTS.map((port) => `127.0.0.1:${port}`).join(','), REDIS_MASTER_NAME: MASTER_NAME },
    masterUrl,
    async killMaster() {
      const killedUrl = await masterUrl()
      const pid = Number(/^process_id:(\d+)/m.exec(await cli(killedUrl, 'info', 'server'))?.[1])
      process.kill(pid, 'SIGKILL')
      return { killedAt: Date.now(), killedUrl }
    },
    promoted(formerUrl) {
      return eventually(async () => {
        const url = await masterUrl().catch(() => formerUrl)
        if (url === formerUrl) return undefined
        return (await cli(url, 'role').catch(() => '')).startsWith('master') ? url : undefined
      }, 30_000, 'the Sentinels to promote the replica')
    },
  }
}

async function cli(url: string, ...args: string[]): Promise<string> {
  return (await run('redis-cli', ['-u', url, ...args], { timeout: 2_000 })).stdout
}
