import { spawn } from 'node:child_process'
import type { Redis } from 'ioredis'
import { pino } from 'pino'
import t, { type Test } from 'tap'
import { createRedis } from '../../src/redis/redis.js'
import { trackReplicationId } from '../../src/redis/replication-id.js'

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

const replicationIdOf = async (redis: Redis) => /^master_replid:(\w+)/m.exec(await redis.info('replication'))?.[1]

t.test('the replication id is the one Redis reports', async (t) => {
  const redis = await ownRedis(t)
  const current = trackReplicationId(redis)
  t.equal(await current(), await replicationIdOf(redis))
})

t.test('a reconnection learns the id again: a master promoted since is told apart', async (t) => {
  const redis = await ownRedis(t)
  const current = trackReplicationId(redis)
  const before = await current()
  await redis.call('DEBUG', 'CHANGE-REPL-ID')
  t.equal(await current(), before, 'kept between connections, without asking')
  const reconnected = ready(redis)
  redis.disconnect(true)
  await reconnected
  t.not(await current(), before)
  t.equal(await current(), await replicationIdOf(redis))
})

t.test('a look that failed is forgotten: the next ask looks again', async (t) => {
  const redis = await ownRedis(t)
  const current = trackReplicationId(redis)
  await redis.client('PAUSE', 1_500, 'ALL')
  await t.rejects(current(), { message: /timed out/ }, 'Redis did not answer within the command timeout')
  await new Promise((resolve) => setTimeout(resolve, 1_500))
  t.equal(await current(), await replicationIdOf(redis))
})
