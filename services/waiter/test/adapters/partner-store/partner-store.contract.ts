import type { Test } from 'tap'
import type { PartnerStore } from '../../../src/use-cases/partner-store.js'
import { buildAttempt, buildEvent, buildHeld, buildSubscription } from './partner-builders.js'
import { partnerFeedContract } from './partner-feed.contract.js'
import type { PartnerStoreSpec } from './partner-store-spec.js'

export interface PartnerStoreUnderTest {
  /** A fresh, empty store, a way to open its data again, and what another process needs to open it too. */
  makeStore: (t: Test) => Promise<{ store: PartnerStore; reopen: () => Promise<PartnerStore>; spec: PartnerStoreSpec }>
}

/** The behaviour every PartnerStore adapter must have; each test runs against a fresh store. */
export function partnerStoreContract(t: Test, subject: PartnerStoreUnderTest): void {
  subscriptionContract(t, subject)
  deliveryContract(t, subject)
  partnerFeedContract(t, subject.makeStore)
}

function subscriptionContract(t: Test, { makeStore }: PartnerStoreUnderTest): void {
  t.test('a subscription is read back exactly, listed oldest first, and replaced whole by an update', async (t) => {
    const { store } = await makeStore(t)
    const newer = buildSubscription({ id: 'wh_b', createdAt: '2026-01-02T00:00:00.000Z', description: 'the till' })
    const older = buildSubscription({ id: 'wh_a', types: ['order.placed', 'menu.changed'], scopes: ['customer-details'] })
    await store.subscriptions.create(newer)
    await store.subscriptions.create(older)
    t.strictSame(await store.subscriptions.get('wh_b'), newer)
    t.strictSame(await store.subscriptions.list(), [older, newer])
    const paused = { ...older, state: 'paused' as const, pausedReason: '410 Gone', pausedAt: '2026-01-03T00:00:00.000Z', secrets: [{ secret: 'whsec_new' }, { secret: 'whsec_old', expiresAt: '2026-01-04T00:00:00.000Z' }] }
    t.equal(await store.subscriptions.update(paused), true)
    t.strictSame(await store.subscriptions.get('wh_a'), paused)
    const { pausedReason: _reason, pausedAt: _at, ...resumed } = { ...paused, state: 'active' as const }
    await store.subscriptions.update(resumed)
    t.strictSame(await store.subscriptions.get('wh_a'), resumed, 'fields left out of an update are gone')
  })

  t.test('a subscription never created is not there, and updating or deleting it says so', async (t) => {
    const { store } = await makeStore(t)
    t.equal(await store.subscriptions.get('wh_none'), undefined)
    t.equal(await store.subscriptions.update(buildSubscription({ id: 'wh_none' })), false)
    t.equal(await store.subscriptions.delete('wh_none'), false)
    t.strictSame(await store.subscriptions.list(), [], 'and an update did not create it')
  })

  t.test('deleting a subscription removes its log and held deliveries, and nothing of another', async (t) => {
    const { store } = await makeStore(t)
    for (const id of ['wh_gone', 'wh_kept']) {
      await store.subscriptions.create(buildSubscription({ id }))
      await store.deliveries.record(buildAttempt(id, 1), 10)
      await store.deliveries.hold(buildHeld(id, 'evt_1', 1))
    }
    t.equal(await store.subscriptions.delete('wh_gone'), true)
    t.equal(await store.subscriptions.get('wh_gone'), undefined)
    t.strictSame(await store.deliveries.recent('wh_gone', 10), [])
    t.strictSame(await store.deliveries.held('wh_gone', 10), [])
    t.strictSame(await store.deliveries.recent('wh_kept', 10), [buildAttempt('wh_kept', 1)])
    t.strictSame(await store.deliveries.held('wh_kept', 10), [buildHeld('wh_kept', 'evt_1', 1)])
  })

  t.test('what was stored is there when the store is opened again', async (t) => {
    const { store, reopen } = await makeStore(t)
    const subscription = buildSubscription({ id: 'wh_kept' })
    await store.subscriptions.create(subscription)
    await store.deliveries.record(buildAttempt('wh_kept', 1), 10)
    await store.feed.append(buildEvent('evt_kept'), new Date())
    await store.close()
    const again = await reopen()
    t.strictSame(await again.subscriptions.list(), [subscription])
    t.strictSame(await again.deliveries.recent('wh_kept', 10), [buildAttempt('wh_kept', 1)])
    t.strictSame(await again.feed.after(0, [], 10), [{ ...buildEvent('evt_kept'), sequence: 1 }])
  })
}

function deliveryContract(t: Test, { makeStore }: PartnerStoreUnderTest): void {
  t.test('the delivery log reads newest first, up to the limit, and keeps the newest `keep` of each subscription', async (t) => {
    const { store } = await makeStore(t)
    const failed = buildAttempt('wh_a', 1, { statusCode: undefined, error: 'connection refused' })
    const { statusCode: _none, ...refused } = failed
    await store.deliveries.record(refused, 3)
    for (const attempt of [2, 3, 4, 5]) await store.deliveries.record(buildAttempt('wh_a', attempt), 3)
    await store.deliveries.record(buildAttempt('wh_b', 1), 3)
    t.strictSame(await store.deliveries.recent('wh_a', 10), [5, 4, 3].map((attempt) => buildAttempt('wh_a', attempt)), 'the two oldest were dropped')
    t.strictSame(await store.deliveries.recent('wh_a', 2), [5, 4].map((attempt) => buildAttempt('wh_a', attempt)))
    t.strictSame(await store.deliveries.recent('wh_b', 10), [buildAttempt('wh_b', 1)], "another subscription's log is its own")
    await store.deliveries.record(refused, 1)
    t.strictSame(await store.deliveries.recent('wh_a', 10), [buildAttempt('wh_a', 5)], 'the newest by time stays, whatever was written last')
  })

  t.test('an attempt without a status code is read back without one', async (t) => {
    const { store } = await makeStore(t)
    const { statusCode: _none, ...refused } = buildAttempt('wh_a', 1, { error: 'destination refused' })
    await store.deliveries.record(refused, 10)
    t.strictSame(await store.deliveries.recent('wh_a', 10), [refused])
  })

  t.test('held deliveries come oldest first; holding an event again keeps it once; release forgets only those named', async (t) => {
    const { store } = await makeStore(t)
    const [first, second, third] = [buildHeld('wh_a', 'evt_1', 1), buildHeld('wh_a', 'evt_2', 2), buildHeld('wh_a', 'evt_3', 3)]
    for (const delivery of [second, first, third]) await store.deliveries.hold(delivery)
    await store.deliveries.hold({ ...first, heldAt: new Date().toISOString() })
    await store.deliveries.hold(buildHeld('wh_b', 'evt_1', 1))
    t.strictSame(await store.deliveries.held('wh_a', 10), [first, second, third])
    t.strictSame(await store.deliveries.held('wh_a', 2), [first, second])
    await store.deliveries.release('wh_a', ['evt_1', 'evt_3', 'evt_never'])
    t.strictSame(await store.deliveries.held('wh_a', 10), [second])
    t.strictSame(await store.deliveries.held('wh_b', 10), [buildHeld('wh_b', 'evt_1', 1)], "another subscription's event of the same id stays")
  })
}
