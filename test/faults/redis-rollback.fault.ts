import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import t, { type Test } from 'tap'
import { admin, bearer, tokenFor } from '../support/credentials.js'
import { eventually } from '../support/isolation.js'
import { freePort } from '../support/processes.js'
import { startStack } from '../support/stack.js'

/**
 * A redis-server of the test's own, on a free port with a folder of its own (never the machine's Redis): saved on
 * demand, stopped without saving, and started again from the file it last saved, as an older snapshot restored.
 */
async function ownRedis(t: Test) {
  const [port, dir] = [await freePort(), await mkdtemp(join(tmpdir(), 'redis-rollback-'))]
  let server: ChildProcess | undefined
  const url = `redis://127.0.0.1:${port}`
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  client.on('error', () => undefined)
  async function start(): Promise<void> {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'dump.rdb', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    await eventually(async () => ((await client.ping().catch(() => undefined)) === 'PONG' ? true : undefined), 10_000, 'the own Redis to start')
  }
  async function stopWithoutSaving(): Promise<void> {
    const exited = server && once(server, 'exit')
    await client.call('SHUTDOWN', 'NOSAVE').catch(() => undefined)
    await exited
  }
  t.teardown(async () => {
    await stopWithoutSaving()
    client.disconnect()
    await rm(dir, { recursive: true, force: true })
  })
  await start()
  return { url, client, start, stopWithoutSaving, save: () => client.call('SAVE') }
}

t.test('a Redis rolled back to a snapshot older than a revocation: the revoked key and token stay refused, others work', async (t) => {
  const redis = await ownRedis(t)
  const stack = await startStack({ REDIS_URL: redis.url })
  t.teardown(stack.stop)
  const call = (method: 'GET' | 'POST' | 'DELETE', path: string, headers: Record<string, string>, body?: object) =>
    fetch(`${stack.gateway.url}${path}`, { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) })
  const statusOf = async (path: string, headers: Record<string, string>) => (await call('GET', path, headers)).status
  const newKey = async (name: string) => (await (await call('POST', '/api/keys', bearer(admin), { name, roles: ['customer'] })).json()) as { id: string; key: string }
  const [revoked, kept] = [await newKey('to revoke'), await newKey('kept')]
  const mallory = { subject: 'mallory', roles: ['customer' as const] }
  const malloryToken = tokenFor(mallory)
  t.same([await statusOf('/api/orders', bearer(revoked.key)), await statusOf('/api/orders', bearer(malloryToken))], [200, 200], 'both work, and are cached')

  await redis.save()
  t.equal((await call('DELETE', `/api/keys/${revoked.id}`, bearer(admin))).status, 200)
  t.equal((await call('POST', '/api/revocations', bearer(admin), { subject: mallory.subject })).status, 201)
  t.same([await statusOf('/api/orders', bearer(revoked.key)), await statusOf('/api/orders', bearer(malloryToken))], [401, 401], 'refused once revoked')

  await redis.stopWithoutSaving()
  await redis.start()
  const restartedAt = Date.now()
  const cachedRecord = `${stack.run.redisPrefix}api-key:${revoked.id}`
  t.equal(await redis.client.hget(cachedRecord, 'revokedAt'), null, 'the restored snapshot holds the key unrevoked')
  t.ok(await redis.client.hget(cachedRecord, 'record'), 'and holds the key')

  // Until the gateway is connected again its checks ask the waiter; once it is, its first check refills the cache.
  const refusedMeanwhile: number[] = []
  const refilled = async () => {
    const statuses = await Promise.all([statusOf('/api/orders', bearer(kept.key)), statusOf('/api/orders', bearer(revoked.key)), statusOf('/api/orders', bearer(malloryToken))])
    refusedMeanwhile.push(statuses[1], statuses[2])
    return statuses[0] === 200 && (await redis.client.hget(cachedRecord, 'revokedAt')) ? true : undefined
  }
  await eventually(refilled, 15_000, 'the other key to work and the cache to be refilled from the store')
  t.comment(`the cache was refilled ${Date.now() - restartedAt} ms after Redis restarted (reconnection, then a refill)`)
  t.same([...new Set(refusedMeanwhile)], [401], 'the revoked key and token were refused all along, from the waiter before the refill')
  t.equal(await statusOf('/api/orders', bearer(revoked.key)), 401, 'the revoked key stays refused, from the refilled cache')
  t.equal(await statusOf('/api/orders', bearer(malloryToken)), 401, "the revoked subject's token stays refused")
})
