import { performance } from 'node:perf_hooks'
import { Webhook } from 'standardwebhooks'
import t, { type Test } from 'tap'
import { generateSecret, createWebhookSender, MAX_WEBHOOK_BODY_BYTES, type WebhookSenderOptions } from '../../src/adapters/webhook-sender.js'
import type { WebhookRequest } from '../../src/use-cases/webhook-ports.js'
import { checkDestination } from '../../src/adapters/destination-check.js'
import { fakeDns } from './fake-dns.js'
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
  t.match(received.headers['webhook-signature'], /^v1,\S+ v1,\S+$/)
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

t.test('without private destinations allowed, loopback, private, metadata and mapped addresses are refused, nothing sent', async (t) => {
  const receiver = await localReceiver(t)
  const lookup = fakeDns(['93.184.216.34'])
  const sender = senderFor(t, { allowPrivate: false, lookup })
  const refusals = {
    [`http://127.0.0.1:${receiver.port}/`]: 'refused destination: must be https',
    [`https://127.0.0.1:${receiver.port}/`]: 'refused destination: 127.0.0.1 is not a public address (loopback)',
    [`https://[::1]:${receiver.port}/`]: 'refused destination: ::1 is not a public address (loopback)',
    'https://10.0.0.1/': 'refused destination: 10.0.0.1 is not a public address (private)',
    'https://169.254.169.254/latest/meta-data/': 'refused destination: 169.254.169.254 is not a public address (linkLocal)',
    [`https://[::ffff:127.0.0.1]:${receiver.port}/`]: 'refused destination: ::ffff:7f00:1 is not a public address (loopback)',
  }
  for (const [url, error] of Object.entries(refusals)) t.matchOnly(await sender.send(buildWebhook({ url })), { latencyMs: Number, error }, url)
  t.equal(receiver.connections(), 0)
  t.equal(lookup.calls(), 0)
})

t.test('a name that resolves to a private address is refused when it would be dialled', async (t) => {
  const sender = senderFor(t, { allowPrivate: false, lookup: fakeDns(['10.1.2.3']) })
  t.matchOnly(await sender.send(buildWebhook({ url: 'https://internal.example/' })), {
    latencyMs: Number,
    error: 'refused to dial: internal.example resolves to 10.1.2.3, which is not public (private)',
  })
})

t.test('a name rebound to loopback after its registration is refused at dial time, nothing sent', async (t) => {
  const receiver = await localReceiver(t)
  const lookup = fakeDns(['93.184.216.34'], ['127.0.0.1'])
  const url = `https://rebound.example:${receiver.port}/hooks`
  t.equal(await checkDestination(url, { allowPrivate: false, lookup }), undefined, 'registered while it answered a public address')
  const result = await senderFor(t, { allowPrivate: false, lookup }).send(buildWebhook({ url }))
  t.equal(result.error, 'refused to dial: rebound.example resolves to 127.0.0.1, which is not public (loopback)')
  t.equal(receiver.connections(), 0)
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
