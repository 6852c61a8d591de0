import type { Test } from 'tap'
import type { PartnerStore } from '../../../src/use-cases/partner-store.js'
import { buildEvent } from './partner-builders.js'
import { partnerFeedRaceContract } from './partner-feed-race.contract.js'
import type { PartnerStoreSpec } from './partner-store-spec.js'

type MakeStore = (t: Test) => Promise<{ store: PartnerStore; reopen: () => Promise<PartnerStore>; spec: PartnerStoreSpec }>

const numbered = (id: string, sequence: number, type: Parameters<typeof buildEvent>[1] = 'order.placed') => ({ ...buildEvent(id, type), sequence })

/** The feed's part of the contract: one sequence, idempotent appends, paging, types, pruning, and writers racing. */
export function partnerFeedContract(t: Test, makeStore: MakeStore): void {
  t.test('events are numbered in the order appended, and an event appended again changes nothing', async (t) => {
    const { store } = await makeStore(t)
    t.equal(await store.feed.append(buildEvent('evt_1'), new Date()), true)
    t.equal(await store.feed.append(buildEvent('evt_2', 'menu.changed'), new Date()), true)
    t.equal(await store.feed.append({ ...buildEvent('evt_1'), occurredAt: '2030-01-01T00:00:00.000Z' }, new Date()), false)
    t.equal(await store.feed.append(buildEvent('evt_3'), new Date()), true)
    t.strictSame(await store.feed.after(0, [], 10), [numbered('evt_1', 1), numbered('evt_2', 2, 'menu.changed'), numbered('evt_3', 3)])
  })

  t.test('a cursor pages through the feed, and reading it twice gives the same events', async (t) => {
    const { store } = await makeStore(t)
    for (const n of [1, 2, 3, 4, 5]) await store.feed.append(buildEvent(`evt_${n}`), new Date())
    const first = await store.feed.after(0, [], 2)
    t.strictSame(first, [numbered('evt_1', 1), numbered('evt_2', 2)])
    t.strictSame(await store.feed.after(2, [], 2), [numbered('evt_3', 3), numbered('evt_4', 4)])
    t.strictSame(await store.feed.after(4, [], 2), [numbered('evt_5', 5)])
    t.strictSame(await store.feed.after(5, [], 2), [], 'nothing past the newest')
    t.strictSame(await store.feed.after(0, [], 2), first)
  })

  t.test('the types asked for filter the feed, keeping the sequence numbers', async (t) => {
    const { store } = await makeStore(t)
    const types = ['order.placed', 'menu.changed', 'order.status-changed', 'menu.changed', 'order.placed'] as const
    for (const [n, type] of types.entries()) await store.feed.append(buildEvent(`evt_${n + 1}`, type), new Date())
    t.strictSame(await store.feed.after(0, ['menu.changed'], 10), [numbered('evt_2', 2, 'menu.changed'), numbered('evt_4', 4, 'menu.changed')])
    t.strictSame(await store.feed.after(2, ['order.placed', 'order.status-changed'], 1), [numbered('evt_3', 3, 'order.status-changed')])
    t.strictSame(await store.feed.after(0, ['webhook.ping'], 10), [])
  })

  t.test('pruning drops the events appended before the date, and the numbers go on past them', async (t) => {
    const { store } = await makeStore(t)
    const [old, recent] = [new Date('2026-01-01T00:00:00.000Z'), new Date('2026-01-08T00:00:00.000Z')]
    for (const n of [1, 2, 3]) await store.feed.append(buildEvent(`evt_${n}`), old)
    await store.feed.append(buildEvent('evt_4'), recent)
    t.equal(await store.feed.prune(new Date('2026-01-02T00:00:00.000Z')), 3)
    t.strictSame(await store.feed.after(0, [], 10), [numbered('evt_4', 4)])
    t.equal(await store.feed.prune(new Date('2026-01-02T00:00:00.000Z')), 0, 'nothing more is that old')
    await store.feed.prune(new Date('2026-02-01T00:00:00.000Z'))
    await store.feed.append(buildEvent('evt_5'), new Date())
    t.strictSame(await store.feed.after(4, [], 10), [numbered('evt_5', 5)], 'a number is never given again, however much was pruned')
  })

  partnerFeedRaceContract(t, makeStore)
}
