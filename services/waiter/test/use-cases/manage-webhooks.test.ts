import t from 'tap'
import type { Identity } from '@restaurant/contracts/identity'
import { orderEvent } from '@restaurant/contracts/partners'
import { buildOrder } from '@restaurant/contracts/testing'
import { memoryAuditLog } from '../../../../shared/platform/test/audit/memory-audit-log.js'
import { createManageWebhooks, WebhookNotFoundError, WebhookUrlRefusedError } from '../../src/use-cases/manage-webhooks.js'
import type { WebhookSubscription } from '../../src/use-cases/partner-store.js'
import { requestFrom } from './fake-ports.js'
import { buildSubscription, memoryPartnerStore, recordingPublish } from './memory-partner-store.js'

const admin: Identity = { subject: 'ada', roles: ['admin'] }
const now = new Date('2026-03-01T12:00:00.000Z')
const overlapMs = 86_400_000
const existing = buildSubscription()
const wanted = { url: 'https://partner.example/hooks', types: ['order.placed' as const, 'order.placed' as const] }

async function manager(...subscriptions: WebhookSubscription[]) {
  const { store, subscriptions: stored, held } = memoryPartnerStore()
  for (const subscription of subscriptions) await store.subscriptions.create(subscription)
  const checked: string[] = []
  const check = { refusal: undefined as string | undefined }
  const secrets = ['whsec_first', 'whsec_second']
  const { publish, published } = recordingPublish()
  const log = memoryAuditLog()
  const webhooks = createManageWebhooks({
    store,
    checkDestination: async (url) => (checked.push(url), check.refusal),
    publish,
    now: () => now,
    newSecret: () => secrets.shift() ?? 'whsec_more',
    secretOverlapMs: overlapMs,
    audit: log.audit,
  })
  return { store, stored, held, checked, check, published, webhooks, log }
}

t.test('a destination the check refuses is refused with why (422), and nothing is stored', async (t) => {
  const { stored, checked, check, webhooks } = await manager()
  check.refusal = 'resolves to a private address (10.0.0.1)'
  const refused = await webhooks.create(wanted, requestFrom(admin)).catch((err: unknown) => err)
  t.ok(refused instanceof WebhookUrlRefusedError)
  t.match(refused, { statusCode: 422, message: /10\.0\.0\.1/, invalidParams: [{ name: '/url', reason: check.refusal }] })
  t.same(checked, [wanted.url])
  t.equal(stored.size, 0)
})

t.test('a subscription is made active, by its creator, signed by a new secret shown this once', async (t) => {
  const { stored, webhooks } = await manager()
  const { subscription, secret } = await webhooks.create({ ...wanted, description: 'till' }, requestFrom(admin))
  t.equal(secret, 'whsec_first')
  t.match(subscription, { id: /^wh_[0-9a-f]{32}$/, url: wanted.url, types: ['order.placed'], scopes: [], description: 'till', state: 'active', createdBy: 'ada', createdAt: now.toISOString() })
  t.same(stored.get(subscription.id)?.secrets, [{ secret: 'whsec_first' }])
  t.notOk('secrets' in subscription)
})

t.test('the secret never shows in a list or a read', async (t) => {
  const { webhooks } = await manager(existing)
  const { subscription } = await webhooks.create(wanted, requestFrom(admin))
  const shown = [...(await webhooks.list()), await webhooks.get(subscription.id)]
  t.same(shown.map(({ id }) => id), [existing.id, subscription.id, subscription.id])
  t.notOk(shown.some((view) => 'secrets' in view))
  t.notOk(JSON.stringify(shown).includes('whsec_'))
})

t.test('every call naming an unknown subscription is refused as not found (404)', async (t) => {
  const { webhooks } = await manager()
  const ctx = requestFrom(admin)
  const calls = [
    () => webhooks.get('wh_missing'),
    () => webhooks.remove('wh_missing', ctx),
    () => webhooks.ping('wh_missing', ctx),
    () => webhooks.rotateSecret('wh_missing', ctx),
    () => webhooks.pause('wh_missing', ctx),
    () => webhooks.resume('wh_missing', ctx),
    () => webhooks.deliveries('wh_missing', 10),
  ]
  for (const call of calls) t.ok((await call().catch((err: unknown) => err)) instanceof WebhookNotFoundError)
})

t.test('a removed subscription is gone', async (t) => {
  const { stored, webhooks } = await manager(existing)
  await webhooks.remove(existing.id, requestFrom(admin))
  t.equal(stored.size, 0)
  t.match(await webhooks.get(existing.id).catch((err: unknown) => err), { statusCode: 404, code: 'WEBHOOK_NOT_FOUND' })
})

t.test('a ping is published as a webhook.ping delivery to that subscription, a first attempt', async (t) => {
  const { published, webhooks } = await manager(existing)
  const { eventId } = await webhooks.ping(existing.id, requestFrom(admin, 'req-ping'))
  t.match(published, [{ routingKey: 'webhook.delivery', correlationId: 'req-ping', message: { subscriptionId: existing.id, attempt: 1, event: { id: eventId, type: 'webhook.ping', data: { subscriptionId: existing.id } } } }])
})

t.test('a rotated secret is shown once and signs first; the previous one signs on until the overlap ends', async (t) => {
  const { stored, webhooks } = await manager(existing)
  const expiresAt = new Date(now.getTime() + overlapMs).toISOString()
  t.same(await webhooks.rotateSecret(existing.id, requestFrom(admin)), { secret: 'whsec_first', previousSecretsExpireAt: expiresAt })
  t.same(stored.get(existing.id)?.secrets, [{ secret: 'whsec_first' }, { secret: 'whsec_current', expiresAt }])
  t.notOk(JSON.stringify(await webhooks.get(existing.id)).includes('whsec_'))
})

t.test('an owner pauses a subscription, and it says by whom', async (t) => {
  const { stored, webhooks } = await manager(existing)
  t.match(await webhooks.pause(existing.id, requestFrom(admin)), { state: 'paused', pausedReason: 'paused by ada', pausedAt: now.toISOString() })
  t.match(stored.get(existing.id), { state: 'paused' })
})

t.test('a resumed subscription is active again, and every delivery held meanwhile is published again as a first attempt and released', async (t) => {
  const pausedOne = buildSubscription({ state: 'paused', pausedReason: 'disabled: the receiver answered 410 Gone', pausedAt: now.toISOString(), failingSince: now.toISOString() })
  const { store, held, published, webhooks } = await manager(pausedOne)
  const events = Array.from({ length: 150 }, (_, index) => orderEvent(buildOrder({ version: index + 1 })))
  for (const event of events) await store.deliveries.hold({ subscriptionId: pausedOne.id, event, heldAt: now.toISOString() })
  const resumed = await webhooks.resume(pausedOne.id, requestFrom(admin, 'req-resume'))
  const { secrets: _secrets, ...asMade } = existing
  t.same(resumed, asMade)
  t.same(published.map(({ message }) => message), events.map((event) => ({ subscriptionId: pausedOne.id, event, attempt: 1 })))
  t.ok(published.every(({ correlationId }) => correlationId === 'req-resume'))
  t.same(held.get(pausedOne.id), [])
})

t.test("a subscription's delivery log is read newest first, as much as asked", async (t) => {
  const { store, webhooks } = await manager(existing)
  for (const attempt of [1, 2, 3]) {
    await store.deliveries.record({ subscriptionId: existing.id, eventId: 'evt_1', eventType: 'order.placed', attempt, at: now.toISOString(), statusCode: 500, latencyMs: 5 }, 10)
  }
  t.same((await webhooks.deliveries(existing.id, 2)).map(({ attempt }) => attempt), [3, 2])
})

t.test('every change is recorded with who made it and on which subscription; a secret never is', async (t) => {
  const { webhooks, log } = await manager(existing)
  const ctx = requestFrom(admin, 'req-admin')
  const { subscription } = await webhooks.create({ ...wanted, url: 'https://partner.example/hooks?token=abc' }, ctx)
  await webhooks.ping(subscription.id, ctx)
  await webhooks.rotateSecret(subscription.id, ctx)
  await webhooks.pause(subscription.id, ctx)
  await webhooks.resume(subscription.id, ctx)
  await webhooks.remove(subscription.id, ctx)
  const actions = ['created', 'pinged', 'secret-rotated', 'paused', 'resumed', 'deleted'].map((action) => `webhook.${action}`)
  t.same(log.records.map((record) => record.action), actions)
  t.ok(log.records.every((record) => record.target === subscription.id && record.actor.subject === 'ada' && record.requestId === 'req-admin'))
  t.same(log.records[0]?.detail, { host: 'partner.example', types: ['order.placed'], scopes: [] })
  t.notOk(JSON.stringify(log.records).includes('whsec_') || JSON.stringify(log.records).includes('token=abc'))
})

t.test('a change whose record cannot be written is refused with 503 and not made', async (t) => {
  const { stored, webhooks, log, published } = await manager(existing)
  log.down = true
  await t.rejects(webhooks.pause(existing.id, requestFrom(admin)), { code: 'AUDIT_UNAVAILABLE', statusCode: 503 })
  await t.rejects(webhooks.create(wanted, requestFrom(admin)), { code: 'AUDIT_UNAVAILABLE' })
  await t.rejects(webhooks.ping(existing.id, requestFrom(admin)), { code: 'AUDIT_UNAVAILABLE' })
  t.same([...stored.values()], [existing])
  t.same(published, [])
})
