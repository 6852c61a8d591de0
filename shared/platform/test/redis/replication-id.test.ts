import { spawn } from 'node:child_process'
import type { Redis } from 'ioredis'
import { pino } from 'pino'
import t, { type Test } from 'tap'
import { createRedis } from '../../src/redis/redis.js'
import { replicationIdOf, REPLICATION_ID_LUA } from '../../src/redis/replication-id.js'

const log = pino({ level: 'silent' })
// Not `once` from node:events, which gives up at the first refused connection of a server still starting.
const ready = (redis: Redis) => new Promise((resolve) => redis.once('ready', resolve))

/** A Redis of the test's own on a port of its own, whose replication id the test may change (DEBUG CHANGE-REPL-ID). */
async function ownRedis(t: Test) {
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'local'], { stdio: 'ignore' })
  t.teardown(() => server.kill('SIGKILL'))
  const redis = createRedis({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_PREFIX: '', REDIS_COMMAND_TIMEOUT_MS: 1_000 }, log)
  t.teardown(() => redis.disconnect())
  await ready(redis)
  return redis
}

const reported = async (redis: Redis) => /^master_replid:(\w+)/m.exec(await redis.info('replication'))?.[1]

t.test('the replication id is the one Redis reports, read from the client or from a script', async (t) => {
  const redis = await ownRedis(t)
  t.equal(await replicationIdOf(redis), await reported(redis))
  t.equal(await redis.eval(`return ${REPLICATION_ID_LUA}`, 0), await reported(redis))
})

t.test('a new id (a replica promoted under a connection that stays open) is seen at the next read, by both', async (t) => {
  const redis = await ownRedis(t)
  const before = await replicationIdOf(redis)
  await redis.call('DEBUG', 'CHANGE-REPL-ID')
  t.not(await replicationIdOf(redis), before)
  t.equal(await redis.eval(`return ${REPLICATION_ID_LUA}`, 0), await replicationIdOf(redis))
})
