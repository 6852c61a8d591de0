import { performance } from 'node:perf_hooks'
import { Webhook } from 'standardwebhooks'
import t, { type Test } from 'tap'
import { generateSecret, createWebhookSender, MAX_WEBHOOK_BODY_BYTES, type WebhookRequest, type WebhookSenderOptions } from '../../src/adapters/webhook-sender.js'
import { localReceiver, type ReceivedRequest } from './local-receiver.js'

const [secret, olderSecret] = [generateSecret(), generateSecret()]

function buildWebhook(overrides: Partial<WebhookRequest> = {}): WebhookRequest {
  const body = JSON.stringify({ id: 'evt_order-1_1', type: 'order.placed', data: { order: { id: 'order-1' } } })
  return { url: 'https://hooks.example.com/', body, id: 'evt_order-1_1', timestamp: new Date(), secrets: [secret], attempt: 1, ...overrides }
}

function senderFor(t: Test, options: Partial<WebhookSenderOptions> = {}) {
  const sender = createWebhookSender({ allowPrivate: true, timeoutMs: 2_000, ...options })
  t.teardown(() => sender.close())
  return sender
}

const verifiedWith = (key: string, { body, headers }: ReceivedRequest) => new Webhook(key).verify(body, headers as Record<string, string>)

t.test('a receiver using standardwebhooks verifies a delivery and gets its body', async (t) => {
  const receiver = await localReceiver(t)
  const webhook = buildWebhook({ url: receiver.url })
  t.matchOnly(await senderFor(t).send(webhook), { statusCode: 204, latencyMs: Number })
  const [received] = receiver.requests
  if (!received) return t.fail('nothing was received')
  t.same(verifiedWith(secret, received), JSON.parse(webhook.body))
  t.equal(received.body, webhook.body)
})

t.test('every secret signs: a receiver holding either of two verifies, one holding another does not', async (t) => {
  const receiver = await localReceiver(t)
  await senderFor(t).send(buildWebhook({ url: receiver.url, secrets: [secret, olderSecret] }))
  const [received] = receiver.requests
  if (!received) return t.fail('nothing was received')
  t.equal(received.headers['webhook-signature']?.split(' ').length, 2)
  t.ok(verifiedWith(secret, received))
  t.ok(verifiedWith(olderSecret, received))
  t.throws(() => verifiedWith(generateSecret(), received), { name: 'WebhookVerificationError' })
})

t.test('a delivery carries its id, timestamp in seconds, attempt number, JSON type and user agent', async (t) => {
  const receiver = await localReceiver(t)
  const timestamp = new Date('2030-01-02T03:04:05.678Z')
  await senderFor(t).send(buildWebhook({ url: receiver.url, id: 'evt_order-9_3', timestamp, attempt: 3 }))
  t.match(receiver.requests[0]?.headers, {
    'webhook-id': 'evt_order-9_3',
    'webhook-timestamp': String(Date.UTC(2030, 0, 2, 3, 4, 5) / 1000),
    'webhook-signature': /^v1,[A-Za-z0-9+/]+=*$/,
    'webhook-attempt': '3',
    'content-type': 'application/json',
    'user-agent': 'restaurant-webhooks/1',
  })
})

t.test('a receiver failing with 500 is a status, with the start of its answer, not a rejection', async (t) => {
  const receiver = await localReceiver(t, (response) => response.writeHead(500).end('database on fire'))
  t.matchOnly(await senderFor(t).send(buildWebhook({ url: receiver.url })), { statusCode: 500, latencyMs: Number, responseExcerpt: 'database on fire' })
})

t.test('a receiver that cannot be reached is an error, not a rejection', async (t) => {
  const result = await senderFor(t).send(buildWebhook({ url: 'http://127.0.0.1:1/' }))
  t.match(result, { error: /ECONNREFUSED/ })
  t.equal(result.statusCode, undefined)
})

t.test('a redirect is not followed: its status is the result, and where it points gets nothing', async (t) => {
  const behind = await localReceiver(t)
  const redirecting = await localReceiver(t, (response) => response.writeHead(302, { location: behind.url }).end())
  t.match(await senderFor(t).send(buildWebhook({ url: redirecting.url })), { statusCode: 302 })
  t.equal(redirecting.requests.length, 1)
  t.equal(behind.connections(), 0)
})

t.test('a receiver that hangs, before its answer or within it, ends in an error after the timeout', async (t) => {
  const silent = await localReceiver(t, () => undefined)
  const stalling = await localReceiver(t, (response) => response.writeHead(200).write('partial'))
  const sender = senderFor(t, { timeoutMs: 300 })
  for (const [name, receiver, statusCode] of [['silent', silent, undefined], ['stalling', stalling, 200]] as const) {
    const started = performance.now()
    const result = await sender.send(buildWebhook({ url: receiver.url }))
    t.comment(`${name} receiver: returned after ${Math.round(performance.now() - started)} ms (timeout 300 ms)`)
    t.matchOnly(result, { ...(statusCode ? { statusCode } : {}), latencyMs: Number, error: 'timed out after 300 ms' })
  }
})

t.test('a huge answer is not read whole: only its first bytes are kept', async (t) => {
  const total = 64 * 1024 * 1024
  let written = 0
  const receiver = await localReceiver(t, async (response) => {
    response.writeHead(200)
    const chunk = Buffer.alloc(64 * 1024, 'x')
    while (written < total && !response.destroyed) {
      written += chunk.length
      if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve).once('close', resolve))
    }
    response.end()
  })
  const result = await senderFor(t, { maxResponseBytes: 100 }).send(buildWebhook({ url: receiver.url }))
  t.matchOnly(result, { statusCode: 200, latencyMs: Number, responseExcerpt: 'x'.repeat(100) })
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.comment(`the receiver wrote ${(written / 1024 / 1024).toFixed(1)} MB of ${total / 1024 / 1024} MB before the sender hung up`)
  t.ok(written < total, 'the sender hung up before the answer ended')
})

t.test('a body over the cap or a webhook without a secret is a defect of the caller, thrown', async (t) => {
  const sender = senderFor(t)
  await t.rejects(sender.send(buildWebhook({ body: 'x'.repeat(MAX_WEBHOOK_BODY_BYTES + 1) })), RangeError)
  await t.rejects(sender.send(buildWebhook({ secrets: [] })), RangeError)
})

t.test('a new secret is whsec_ and 32 random bytes in base64, usable by standardwebhooks', async (t) => {
  const fresh = generateSecret()
  t.match(fresh, /^whsec_[A-Za-z0-9+/]{43}=$/)
  t.equal(Buffer.from(fresh.slice('whsec_'.length), 'base64').length, 32)
  t.not(generateSecret(), fresh)
  t.doesNotThrow(() => new Webhook(fresh))
})
