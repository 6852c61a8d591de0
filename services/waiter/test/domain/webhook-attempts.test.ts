import t from 'tap'
import { afterFailure, outcomeOf, rotated, signingSecrets, wants, type RetryPolicy } from '../../src/domain/webhook-attempts.js'

const policy: RetryPolicy = { retryDelaysMs: [1_000, 60_000, 3_600_000], pauseAfterMs: 86_400_000 }
const now = new Date('2026-03-01T12:00:00.000Z')
const later = (ms: number) => new Date(now.getTime() + ms)
const failed = (attempt: number, outcome: 'failed' | 'gone' = 'failed') => ({ attempt, outcome, error: 'answered 500', now })

t.test('a 2xx delivers, 410 Gone asks never to be called again, any other answer or none fails', async (t) => {
  t.equal(outcomeOf(200), 'delivered')
  t.equal(outcomeOf(204), 'delivered')
  t.equal(outcomeOf(410), 'gone')
  for (const statusCode of [undefined, 199, 301, 400, 404, 500, 503]) t.equal(outcomeOf(statusCode), 'failed', String(statusCode))
})

t.test('each failed attempt is followed by the next after the delay for that attempt, and past the last delay it gives up', async (t) => {
  t.same(afterFailure({}, failed(1), policy), { action: 'retry', notBefore: later(1_000) })
  t.same(afterFailure({}, failed(2), policy), { action: 'retry', notBefore: later(60_000) })
  t.same(afterFailure({}, failed(3), policy), { action: 'retry', notBefore: later(3_600_000) })
  t.same(afterFailure({}, failed(4), policy), { action: 'give-up' })
})

t.test('a subscription failing for as long as the policy allows is paused, with since when and the last error', async (t) => {
  const failingSince = new Date(now.getTime() - policy.pauseAfterMs).toISOString()
  const next = afterFailure({ failingSince }, failed(2), policy)
  t.match(next, { action: 'pause', reason: /^paused: / })
  t.match(next, { reason: new RegExp(`${failingSince}.*answered 500`) })
  t.same(afterFailure({ failingSince: new Date(now.getTime() - policy.pauseAfterMs + 1).toISOString() }, failed(2), policy), { action: 'retry', notBefore: later(60_000) })
})

t.test('a subscription that fails for long enough is paused rather than given up on, even past the last delay', async (t) => {
  const failingSince = new Date(now.getTime() - policy.pauseAfterMs).toISOString()
  t.match(afterFailure({ failingSince }, failed(4), policy), { action: 'pause' })
})

t.test('410 Gone pauses the subscription at once, as disabled, whatever the attempt', async (t) => {
  t.same(afterFailure({}, failed(1, 'gone'), policy), { action: 'pause', reason: 'disabled: the receiver answered 410 Gone' })
  t.match(afterFailure({}, failed(9, 'gone'), policy), { action: 'pause', reason: /^disabled/ })
})

t.test('only secrets not yet expired sign, newest first', async (t) => {
  const secrets = [{ secret: 'new' }, { secret: 'old', expiresAt: later(1).toISOString() }, { secret: 'older', expiresAt: now.toISOString() }]
  t.same(signingSecrets(secrets, now), ['new', 'old'])
  t.same(signingSecrets(secrets, later(1)), ['new'])
})

t.test('a rotation puts the fresh secret first and keeps the old one signing until the overlap ends', async (t) => {
  const secrets = rotated([{ secret: 'old' }], 'fresh', now, 60_000)
  t.same(secrets, [{ secret: 'fresh' }, { secret: 'old', expiresAt: later(60_000).toISOString() }])
  t.same(signingSecrets(secrets, later(59_999)), ['fresh', 'old'])
  t.same(signingSecrets(secrets, later(60_000)), ['fresh'])
})

t.test('a second rotation keeps each earlier secret to its own end and drops the expired ones', async (t) => {
  const once = rotated([{ secret: 'first' }], 'second', now, 60_000)
  t.same(rotated(once, 'third', later(30_000), 60_000), [
    { secret: 'third' },
    { secret: 'second', expiresAt: later(90_000).toISOString() },
    { secret: 'first', expiresAt: later(60_000).toISOString() },
  ])
  t.same(rotated(once, 'third', later(60_000), 60_000), [{ secret: 'third' }, { secret: 'second', expiresAt: later(120_000).toISOString() }])
})

t.test('a subscription wants the types it named, and every ping', async (t) => {
  const subscription = { types: ['order.placed' as const] }
  t.ok(wants(subscription, 'order.placed'))
  t.notOk(wants(subscription, 'order.status-changed'))
  t.notOk(wants(subscription, 'menu.changed'))
  t.ok(wants(subscription, 'webhook.ping'))
})
