import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { deadLetterQueueFor, topologyFor } from '@restaurant/contracts/messages'
import type { FeedPage, Webhook } from '@restaurant/contracts/partners'
import { admin, as, bearer } from '../support/credentials.js'
import { AMQP_URL, eventually, queueDepth, removeRedisKeys } from '../support/isolation.js'
import { placeOrders } from '../support/order-client.js'
import { deliveryLatencies, eventsOnceReady, percentile, untilTaken } from '../support/partner-events.js'
import { startStack, type Stack } from '../support/stack.js'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js'

const replayCommand = join(import.meta.dirname, '..', '..', 'shared', 'platform', 'dist', 'bin', 'dead-letters.js')

const settings = {
  KITCHEN_SPEED_FACTOR: '0.02',
  WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: 'true',
  WEBHOOK_RETRY_DELAYS_MS: '200,400,800,1600',
  WEBHOOK_TIMEOUT_MS: '1000',
  WEBHOOK_SECRET_OVERLAP_MS: '600000',
  AMQP_SET_ASIDE_MS: '200',
}

async function call<T>(stack: Stack, method: string, path: string, body?: object, credential = bearer(admin)) {
  const response = await fetch(`${stack.gateway.url}${path}`, {
    method,
    headers: { ...credential, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: response.status, body: (await response.json().catch(() => undefined)) as T }
}

async function subscribe(stack: Stack, receiver: WebhookReceiver, types = ['order.placed', 'order.status-changed']) {
  const { status, body } = await call<{ subscription: Webhook; secret: string }>(stack, 'POST', '/api/webhooks', { url: receiver.url, types })
  if (status !== 201) throw new Error(`subscribing answered ${status}: ${JSON.stringify(body)}`)
  receiver.trust([body.secret])
  return body
}

async function placeSome(stack: Stack, count: number, prefix: string) {
  const records = await placeOrders(() => stack.gateway.url, count, { concurrency: 5, keyPrefix: `${prefix}-${stack.run.namespace}`, deadlineMs: Date.now() + 30_000 })
  return records.flatMap(({ id }) => (id ? [id] : []))
}

t.test('partners get every event the kitchen recorded, signed, and the feed reads the same twice', async (t) => {
  const stack = await startStack(settings, { waiters: 2 })
  t.teardown(stack.stop)
  const receiver = await startWebhookReceiver(t)
  await subscribe(stack, receiver)
  const orderIds = await placeSome(stack, 40, 'partners')
  const expected = await eventsOnceReady(stack.records.kitchenUrl, orderIds)
  await untilTaken(receiver, expected)
  const latencies = deliveryLatencies(receiver)
  t.comment(`${expected.size} events from ${orderIds.length} orders; delivery after the event p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`)
  t.same(receiver.unverified, [], 'every delivery verified with standardwebhooks')
  t.ok(receiver.received.every(({ event, id }) => event.id === id), 'the webhook-id is the event id')
  t.notOk(receiver.received.some(({ event }) => 'order' in event.data && ('customer' in event.data.order || 'owner' in event.data.order)), 'no customer details without the scope')

  const readAll = async () => {
    const page = await call<FeedPage>(stack, 'GET', '/api/events?limit=500&types=order.placed,order.status-changed', undefined, as('partner'))
    t.equal(page.status, 200)
    return page.body.events.filter(({ id }) => expected.has(id))
  }
  const first = await readAll()
  t.same(new Set(first.map(({ id }) => id)), expected, 'the feed holds every event')
  t.ok(first.every((event, n) => n === 0 || event.sequence > (first[n - 1]?.sequence ?? 0)), 'in one increasing sequence')
  await removeRedisKeys(stack.run.redisPrefix)
  t.same(await readAll(), first, 'read again after Redis lost every key: the same events, in the same order')
})

t.test('a receiver that never answers does not hold up another: its deliveries measured alone, then beside it', async (t) => {
  const stack = await startStack(settings, { waiters: 2 })
  t.teardown(stack.stop)
  const [steady, hanging] = [await startWebhookReceiver(t), await startWebhookReceiver(t)]
  await subscribe(stack, steady)
  const alone = await eventsOnceReady(stack.records.kitchenUrl, await placeSome(stack, 30, 'alone'))
  await untilTaken(steady, alone)
  const aloneLatencies = deliveryLatencies(steady)
  await subscribe(stack, hanging)
  hanging.setMode('hang')
  const beside = await eventsOnceReady(stack.records.kitchenUrl, await placeSome(stack, 30, 'beside'))
  await untilTaken(steady, beside)
  const besideLatencies = deliveryLatencies(steady).slice(aloneLatencies.length)
  const figures = (latencies: number[]) => `p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`
  t.comment(`a healthy receiver's deliveries alone: ${figures(aloneLatencies)}; beside one that never answers: ${figures(besideLatencies)}`)
  t.ok(hanging.received.length > 0, `the hanging receiver was called (${hanging.received.length} attempts, the rest set aside)`)
})

t.test('a paused subscription keeps what it misses and gets it on resume; a 410 disables one', async (t) => {
  const stack = await startStack(settings, { waiters: 2 })
  t.teardown(stack.stop)
  const [steady, paused, gone] = [await startWebhookReceiver(t), await startWebhookReceiver(t), await startWebhookReceiver(t)]
  await subscribe(stack, steady)
  const toPause = await subscribe(stack, paused)
  const toGo = await subscribe(stack, gone)
  gone.setMode('gone')
  t.equal((await call(stack, 'POST', `/api/webhooks/${toPause.subscription.id}/pause`)).status, 200)

  const orderIds = await placeSome(stack, 30, 'pausing')
  const expected = await eventsOnceReady(stack.records.kitchenUrl, orderIds)
  await untilTaken(steady, expected)
  t.equal(paused.received.length, 0, 'nothing went to the paused subscription')

  const disabled = await eventually(async () => {
    const { body } = await call<Webhook>(stack, 'GET', `/api/webhooks/${toGo.subscription.id}`)
    return body.state === 'paused' ? body : undefined
  }, 10_000, 'the 410 subscription disabled')
  t.match(disabled.pausedReason, /410/)
  const askedBefore = gone.received.length
  const later = await placeSome(stack, 3, 'after-410')
  await untilTaken(steady, await eventsOnceReady(stack.records.kitchenUrl, later))
  t.equal(gone.received.length, askedBefore, `once disabled, nothing more is sent to it (${askedBefore} asked in all, in flight when the 410 came)`)

  t.equal((await call(stack, 'POST', `/api/webhooks/${toPause.subscription.id}/resume`)).status, 200)
  await untilTaken(paused, expected)
  const log = await call<{ deliveries: Array<{ statusCode?: number }> }>(stack, 'GET', `/api/webhooks/${toPause.subscription.id}/deliveries?limit=500`)
  t.ok(log.body.deliveries.length >= expected.size && log.body.deliveries.every(({ statusCode }) => statusCode === 204), 'its delivery log shows each attempt')
})

t.test('a rotated secret: during the overlap every delivery verifies with the old secret and with the new', async (t) => {
  const stack = await startStack(settings)
  t.teardown(stack.stop)
  const receiver = await startWebhookReceiver(t)
  const { subscription, secret: old } = await subscribe(stack, receiver)
  const rotated = await call<{ secret: string; previousSecretsExpireAt: string }>(stack, 'POST', `/api/webhooks/${subscription.id}/rotate-secret`)
  t.equal(rotated.status, 200, JSON.stringify(rotated.body))
  t.not(rotated.body.secret, old)
  for (const trusted of [[old], [rotated.body.secret]]) {
    receiver.trust(trusted)
    const before = receiver.received.length
    t.equal((await call(stack, 'POST', `/api/webhooks/${subscription.id}/ping`)).status, 202)
    await eventually(async () => (receiver.received.length > before ? true : undefined), 10_000, 'the ping')
  }
  t.same(receiver.unverified, [], 'both verified')
  t.notOk(JSON.stringify((await call(stack, 'GET', '/api/webhooks')).body).includes(old), 'no secret is listed')
})

t.test('past its last attempt a delivery is dead-lettered; replayed, it is delivered under the same id', async (t) => {
  const stack = await startStack(settings)
  t.teardown(stack.stop)
  const receiver = await startWebhookReceiver(t)
  const { subscription } = await subscribe(stack, receiver)
  receiver.setMode('fail')
  const { body } = await call<{ eventId: string }>(stack, 'POST', `/api/webhooks/${subscription.id}/ping`)
  const dead = deadLetterQueueFor(topologyFor(stack.run.namespace).queues.waiterWebhooks.queue)
  await eventually(async () => ((await queueDepth(dead)) === 1 ? true : undefined), 20_000, 'the dead letter')
  t.same(receiver.received.map(({ attempt }) => attempt), [1, 2, 3, 4, 5], 'one attempt per delay and one more, each numbered')
  receiver.setMode('ok')
  const env = { PATH: process.env.PATH ?? '', NODE_ENV: 'test', AMQP_URL, AMQP_NAMESPACE: stack.run.namespace, DATA_DIR: stack.run.dataDir }
  const { stdout } = await promisify(execFile)(process.execPath, [replayCommand, 'replay', topologyFor(stack.run.namespace).queues.waiterWebhooks.queue], { env })
  t.match(stdout, /replayed 1 dead letters/)
  await eventually(async () => (receiver.taken().has(body.eventId) ? true : undefined), 10_000, 'the replayed delivery')
  t.ok(receiver.received.every(({ id }) => id === body.eventId), 'every attempt under the event id')
})
