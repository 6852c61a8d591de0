import { randomUUID } from 'node:crypto'
import t from 'tap'
import { createIdempotencyReservations } from '../../src/adapters/idempotency-reservations.js'
import { buildReservations, unreachableRedis } from './redis-harness.js'

t.test('reserving a key returns nothing the first time and the first fingerprint afterwards', async (t) => {
  const { reservations } = buildReservations(t)
  const orderId = randomUUID()
  const earlier = async (id: string, fingerprint: string) => (await reservations.reserve(id, fingerprint)).earlier
  t.equal(await earlier(orderId, 'fingerprint-1'), undefined)
  t.equal(await earlier(orderId, 'fingerprint-2'), 'fingerprint-1')
  t.equal(await earlier(orderId, 'fingerprint-3'), 'fingerprint-1', 'a later reservation did not replace the first')
  t.equal(await earlier(randomUUID(), 'fingerprint-2'), undefined, 'another order id is a separate reservation')
})

t.test('a reservation says whether Redis may have forgotten earlier reservations of its key', async (t) => {
  const reserveNew = async () => (await built.reservations.reserve(randomUUID(), 'fingerprint')).memory
  const rememberSince = async (newestPlacedAt: string | undefined) => built.reservations.rememberSince(newestPlacedAt, await built.reservations.epoch())
  let built = buildReservations(t)
  t.equal(await reserveNew(), 'unknown', 'until told')
  await rememberSince(undefined)
  t.equal(await reserveNew(), 'complete', 'the kitchen held no order: nothing placed could be forgotten')
  await rememberSince(new Date(Date.now() - 60_000).toISOString())
  t.equal(await reserveNew(), 'complete', 'the first record stands')

  built = buildReservations(t)
  await rememberSince(new Date(Date.now() - 10_000).toISOString())
  t.equal(await reserveNew(), 'doubtful', "an order placed 10 s ago may be retried with its key for the key's lifetime (60 s)")
  built = buildReservations(t, { ttlSeconds: 30 })
  await rememberSince(new Date(Date.now() - 60_000).toISOString())
  t.equal(await reserveNew(), 'complete', 'its key would have expired by now anyway')
})

t.test('a reservation that cannot reach Redis fails with DEPENDENCY_UNAVAILABLE', async (t) => {
  const redis = unreachableRedis(t)
  const reservations = createIdempotencyReservations(redis, { ttlSeconds: 60 })
  await t.rejects(reservations.reserve(randomUUID(), 'fingerprint'), { code: 'DEPENDENCY_UNAVAILABLE', statusCode: 503 })
})

t.test('a reservation is kept under its key name, for its time to live', async (t) => {
  const { reservations, redis } = buildReservations(t, { ttlSeconds: 30 })
  const orderId = randomUUID()
  await reservations.reserve(orderId, 'fingerprint-1')
  t.equal(await redis.get(`idempotency:${orderId}`), 'fingerprint-1')
  const ttl = await redis.ttl(`idempotency:${orderId}`)
  t.ok(ttl > 25 && ttl <= 30, `time to live ${ttl} s`)
})

t.test('a record learnt on another master (a replica promoted since) leaves the memory unknown until learnt on this one', async (t) => {
  const { reservations, redis } = buildReservations(t)
  const reserveNew = async () => (await reservations.reserve(randomUUID(), 'fingerprint')).memory
  await redis.hset('idempotency:memory', 'master', 'replication-id-of-the-master-before', 'until', '0')
  t.equal(await reserveNew(), 'unknown', 'the old master remembered every key; this one may have lost the newest')
  const epoch = await reservations.epoch()
  t.equal(await reservations.rememberSince(new Date(Date.now() - 10_000).toISOString(), epoch), epoch, 'recorded')
  t.equal(await reserveNew(), 'doubtful', 'learnt again, for this master')
  t.equal(await redis.hget('idempotency:memory', 'master'), epoch)
})

t.test('a lesson begun on a master that is gone records nothing, and tells the epoch now', async (t) => {
  const { reservations, redis } = buildReservations(t)
  const epoch = await reservations.epoch()
  t.equal(await reservations.rememberSince(undefined, 'replication-id-of-the-master-before'), epoch)
  t.equal(await redis.exists('idempotency:memory'), 0)
  t.equal((await reservations.reserve(randomUUID(), 'fingerprint')).memory, 'unknown')
})
