import t from 'tap'
import type { WebhookDeliveryMessage } from '@restaurant/contracts/messages'
import { orderEvent } from '@restaurant/contracts/partners'
import { buildOrder } from '@restaurant/contracts/testing'
import { GiveUpError, SetAsideError } from '@restaurant/platform/runtime/errors'
import type { RetryPolicy } from '../../src/domain/webhook-attempts.js'
import { createDeliverWebhook } from '../../src/use-cases/deliver-webhook.js'
import type { WebhookSubscription } from '../../src/use-cases/partner-store.js'
import type { SendResult, WebhookRequest, WebhookSender } from '../../src/use-cases/webhook-ports.js'
import { capturedLog, messages } from './fake-ports.js'
import { buildSubscription, memoryPartnerStore, recordingPublish } from './memory-partner-store.js'

const policy: RetryPolicy = { retryDelaysMs: [1_000, 60_000], pauseAfterMs: 3_600_000 }
const start = new Date('2026-03-01T12:00:00.000Z')
const at = (ms: number) => new Date(start.getTime() + ms).toISOString()
const answered = (statusCode: number): Promise<SendResult> => Promise.resolve({ statusCode, latencyMs: 25 })

/** A sender that keeps each request and answers as the test says (200 unless told otherwise). */
function fakeSender() {
  const sent: WebhookRequest[] = []
  const state = { sent, answer: (_request: WebhookRequest) => answered(200) }
  const sender: WebhookSender = { send: (request) => (sent.push(request), state.answer(request)) }
  return Object.assign(state, { sender })
}

/** An answer the test gives when it likes: `arrived` resolves once the request is being sent. */
function heldAnswer() {
  let release: (result: SendResult) => void = () => undefined
  let arrive: () => void = () => undefined
  const arrived = new Promise<void>((resolve) => (arrive = resolve))
  const answer = new Promise<SendResult>((resolve) => (release = resolve))
  return { arrived, answer: () => (arrive(), answer), release: (result: SendResult) => release(result) }
}

async function deliverer(...subscriptions: WebhookSubscription[]) {
  const { store, logs, held } = memoryPartnerStore()
  for (const subscription of subscriptions) await store.subscriptions.create(subscription)
  const clock = { now: start }
  const sender = fakeSender()
  const { publish, published } = recordingPublish()
  const deliver = createDeliverWebhook({ store, sender: sender.sender, publish, now: () => clock.now, policy, maxInFlight: 1, slowAfterMs: 5, logKeep: 3 })
  const { log, lines } = capturedLog()
  const context = { correlationId: 'corr-1', log }
  return { store, logs, held, clock, sender, published, lines, deliver: (message: WebhookDeliveryMessage) => deliver(message, context) }
}

const event = orderEvent(buildOrder({ placedAt: start.toISOString() }))
const delivery = (overrides: Partial<WebhookDeliveryMessage> = {}): WebhookDeliveryMessage => ({ subscriptionId: buildSubscription().id, event, attempt: 1, ...overrides })

t.test("an attempt sends the event, signed by the subscription's secrets, under the event's id and its attempt number", async (t) => {
  const { sender, deliver, published } = await deliverer(buildSubscription())
  await deliver(delivery({ attempt: 2 }))
  t.same(sender.sent, [{ url: 'https://partner.example/hooks', body: JSON.stringify(event), id: event.id, timestamp: start, secrets: ['whsec_current'], attempt: 2 }])
  t.same(published, [])
})

t.test('only unexpired secrets sign, newest first', async (t) => {
  const secrets = [{ secret: 'whsec_new' }, { secret: 'whsec_old', expiresAt: at(1) }, { secret: 'whsec_gone', expiresAt: at(0) }]
  const { sender, deliver } = await deliverer(buildSubscription({ secrets }))
  await deliver(delivery())
  t.same(sender.sent[0]?.secrets, ['whsec_new', 'whsec_old'])
})

t.test('a delivered attempt clears since when the subscription was failing, and is logged with its status and latency', async (t) => {
  const { store, logs, deliver } = await deliverer(buildSubscription({ failingSince: at(-60_000) }))
  await deliver(delivery())
  t.notOk((await store.subscriptions.get(buildSubscription().id))?.failingSince)
  t.same(logs.get(buildSubscription().id), [{ subscriptionId: buildSubscription().id, eventId: event.id, eventType: 'order.placed', attempt: 1, at: at(0), statusCode: 200, latencyMs: 25 }])
})

t.test('a failed attempt marks the subscription failing and publishes the next attempt of the same event, due after its delay', async (t) => {
  const { store, sender, logs, published, lines, deliver } = await deliverer(buildSubscription())
  sender.answer = () => answered(500)
  await deliver(delivery())
  t.equal((await store.subscriptions.get(buildSubscription().id))?.failingSince, at(0))
  t.same(published, [{ routingKey: 'webhook.delivery', message: delivery({ attempt: 2, notBefore: at(1_000) }), correlationId: 'corr-1' }])
  t.match(logs.get(buildSubscription().id), [{ attempt: 1, statusCode: 500, latencyMs: 25, error: 'answered 500' }])
  t.match(messages(lines, 'webhook attempt failed'), [{ eventId: event.id, attempt: 1, statusCode: 500, next: 'retry' }])
})

t.test('a second failure keeps since when the subscription began failing, and waits the delay of its own attempt', async (t) => {
  const { store, sender, published, clock, deliver } = await deliverer(buildSubscription({ failingSince: at(-5_000) }))
  sender.answer = () => answered(503)
  clock.now = new Date(at(2_000))
  await deliver(delivery({ attempt: 2, notBefore: at(1_000) }))
  t.equal((await store.subscriptions.get(buildSubscription().id))?.failingSince, at(-5_000))
  t.same(published.map(({ message }) => message), [delivery({ attempt: 3, notBefore: at(62_000) })])
})

t.test('an attempt the receiver never answered is logged with its error and tried again', async (t) => {
  const { sender, logs, published, deliver } = await deliverer(buildSubscription())
  sender.answer = async () => ({ latencyMs: 10_000, error: 'timed out' })
  await deliver(delivery())
  t.same(logs.get(buildSubscription().id)?.map(({ statusCode, latencyMs, error }) => ({ statusCode, latencyMs, error })), [{ statusCode: undefined, latencyMs: 10_000, error: 'timed out' }])
  t.match(published, [{ message: { attempt: 2 } }])
})

t.test('an attempt failing past the last delay is given up (dead-lettered), logged, and not published again', async (t) => {
  const { sender, logs, published, deliver } = await deliverer(buildSubscription({ failingSince: at(-1_000) }))
  sender.answer = () => answered(500)
  await t.rejects(deliver(delivery({ attempt: 3 })), GiveUpError)
  t.match(logs.get(buildSubscription().id), [{ attempt: 3, statusCode: 500 }])
  t.same(published, [])
})

t.test('a subscription failing for longer than the policy allows is paused with why, and the delivery is held', async (t) => {
  const { store, sender, held, published, deliver } = await deliverer(buildSubscription({ failingSince: at(-policy.pauseAfterMs) }))
  sender.answer = () => answered(502)
  await deliver(delivery({ attempt: 2 }))
  t.match(await store.subscriptions.get(buildSubscription().id), { state: 'paused', pausedAt: at(0), pausedReason: /^paused: .*answered 502/ })
  t.match(held.get(buildSubscription().id), [{ event: { id: event.id }, heldAt: at(0) }])
  t.same(published, [])
})

t.test('a receiver answering 410 Gone disables its subscription at once, and the delivery is held', async (t) => {
  const { store, sender, held, published, deliver } = await deliverer(buildSubscription())
  sender.answer = () => answered(410)
  await deliver(delivery())
  t.match(await store.subscriptions.get(buildSubscription().id), { state: 'paused', pausedReason: /^disabled/ })
  t.equal(held.get(buildSubscription().id)?.length, 1)
  t.same(published, [])
})

t.test('a delivery to a paused subscription is held without being sent', async (t) => {
  const { sender, held, logs, published, deliver } = await deliverer(buildSubscription({ state: 'paused', pausedReason: 'paused by ada' }))
  await deliver(delivery({ attempt: 2, notBefore: at(60_000) }))
  await deliver(delivery())
  t.same(sender.sent, [])
  t.same(held.get(buildSubscription().id)?.map((kept) => kept.event), [event])
  t.notOk(logs.has(buildSubscription().id))
  t.same(published, [])
})

t.test('a delivery to a deleted subscription is dropped: nothing sent, held or published', async (t) => {
  const { sender, held, published, lines, deliver } = await deliverer()
  await deliver(delivery())
  t.same(sender.sent, [])
  t.equal(held.size, 0)
  t.same(published, [])
  t.match(messages(lines, 'webhook dropped: its subscription is gone'), [{ eventId: event.id }])
})

t.test('an attempt not due yet is set aside unsent; once due, it is sent', async (t) => {
  const { sender, clock, deliver } = await deliverer(buildSubscription())
  await t.rejects(deliver(delivery({ attempt: 2, notBefore: at(1_000) })), SetAsideError)
  t.same(sender.sent, [])
  clock.now = new Date(at(1_000))
  await deliver(delivery({ attempt: 2, notBefore: at(1_000) }))
  t.equal(sender.sent.length, 1)
})

t.test("attempts beyond what is in flight to a subscription are set aside, while another subscription's still go", async (t) => {
  const slow = buildSubscription()
  const other = buildSubscription({ id: 'wh_00000000000000000000000000000002', url: 'https://other.example/hooks' })
  const { sender, deliver } = await deliverer(slow, other)
  const hanging = heldAnswer()
  sender.answer = (request) => (request.url === slow.url ? hanging.answer() : answered(200))
  const first = deliver(delivery())
  await hanging.arrived
  await t.rejects(deliver(delivery()), SetAsideError)
  await deliver(delivery({ subscriptionId: other.id }))
  t.same(sender.sent.map(({ url }) => url), [slow.url, other.url])
  hanging.release({ statusCode: 200, latencyMs: 30_000 })
  await first
  await deliver(delivery())
  t.equal(sender.sent.length, 3)
})

t.test("a subscription's log keeps its newest attempts", async (t) => {
  const { sender, logs, deliver } = await deliverer(buildSubscription())
  sender.answer = () => answered(500)
  for (const attempt of [1, 2, 3]) await deliver(delivery({ attempt })).catch(() => undefined)
  sender.answer = () => answered(200)
  await deliver(delivery({ attempt: 4 }))
  t.same(logs.get(buildSubscription().id)?.map(({ attempt }) => attempt), [4, 3, 2])
})
