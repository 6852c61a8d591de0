import type { Test } from 'tap'
import type { MenuItem } from '@restaurant/contracts/menu'
import { buildMenuItem } from '@restaurant/contracts/testing'
import type { MenuStore } from '../../src/use-cases/menu-store.js'
import { menuRaceContract } from './menu-store-race.contract.js'
import type { MenuStoreSpec } from './store-spec.js'

export interface MenuStoreUnderTest {
  /** A fresh, empty store for one test; registers its own cleanup on `t`. */
  makeStore: (t: Test) => Promise<MenuStore>
  /** A fresh store, a way to open its data again, and what another process needs to open it too. */
  makeReopenableStore: (t: Test) => Promise<{ store: MenuStore; reopen: () => Promise<MenuStore>; spec: MenuStoreSpec }>
}

/** The item's next state, as an edit makes it. */
const changed = (item: MenuItem, changes: Partial<MenuItem> = {}): MenuItem => ({
  ...item,
  ...changes,
  version: item.version + 1,
  changedBy: 'admin',
  changedAt: new Date().toISOString(),
})

const seed = ['seed-a', 'seed-b', 'seed-c'].map((id) => buildMenuItem({ id }))

/** The behaviour every MenuStore adapter must have; each test runs against a fresh store. */
export function menuStoreContract(t: Test, subject: MenuStoreUnderTest): void {
  const { makeStore } = subject
  writeContract(t, makeStore)
  seedContract(t, makeStore)

  t.test('what was written is there when the store is opened again', async (t) => {
    const { store, reopen } = await subject.makeReopenableStore(t)
    const first = buildMenuItem({ id: 'kept' })
    await store.write(first)
    const second = changed(first, { priceCents: 1200 })
    await store.write(second)
    await store.close()
    const again = await reopen()
    t.strictSame(await again.items(), [second])
    t.strictSame(await again.history('kept'), [first, second])
    t.equal(await again.seedIfEmpty(seed), false, 'and it is not seeded over')
  })

  menuRaceContract(t, subject.makeReopenableStore)
}

function writeContract(t: Test, makeStore: (t: Test) => Promise<MenuStore>): void {
  t.test('an item is read back exactly, at its latest version, and its history holds every state oldest first', async (t) => {
    const store = await makeStore(t)
    const first = buildMenuItem({ id: 'burger', optionGroups: [{ id: 'extras', name: 'Extras', minChoices: 0, maxChoices: 2, options: [{ id: 'cheese', name: 'Cheese', priceDeltaCents: 100, prepSecondsDelta: 0 }] }] })
    t.equal(await store.write(first), true)
    t.strictSame(await store.items(), [first])
    const second = changed(first, { priceCents: 1350 })
    t.equal(await store.write(second), true)
    t.strictSame(await store.items(), [second])
    t.strictSame(await store.history('burger'), [first, second])
  })

  t.test('a write whose version is not one more than the stored one stores nothing', async (t) => {
    const store = await makeStore(t)
    const first = buildMenuItem({ id: 'fries' })
    await store.write(first)
    t.equal(await store.write({ ...first, name: 'again at version 1' }), false, 'version 1 of an item already stored')
    t.equal(await store.write({ ...changed(first), version: 3 }), false, 'a version skipped')
    t.equal(await store.write(buildMenuItem({ id: 'new', version: 2 })), false, 'version 2 of an item never stored')
    t.strictSame(await store.items(), [first])
    t.strictSame(await store.history('fries'), [first])
    t.strictSame(await store.history('new'), [], 'an item never stored has no history')
  })

  t.test('items come in the order they were first stored, retired ones included', async (t) => {
    const store = await makeStore(t)
    const [a, b, c] = [buildMenuItem({ id: 'dish-a' }), buildMenuItem({ id: 'dish-b' }), buildMenuItem({ id: 'dish-c' })]
    for (const item of [b, a, c]) await store.write(item)
    const retired = changed(a, { retired: true })
    await store.write(retired)
    t.strictSame(await store.items(), [b, retired, c])
  })

  t.test('of ten concurrent writers of one version, exactly one wins and only its state is stored', async (t) => {
    const store = await makeStore(t)
    const first = buildMenuItem({ id: 'salad' })
    await store.write(first)
    const attempts = Array.from({ length: 10 }, (_, i) => ({ ...changed(first), changedBy: `writer-${i}` }))
    const results = await Promise.all(attempts.map((item) => store.write(item)))
    t.equal(results.filter(Boolean).length, 1)
    const winner = attempts[results.indexOf(true)]
    t.strictSame(await store.items(), [winner])
    t.strictSame(await store.history('salad'), [first, winner])
  })
}

function seedContract(t: Test, makeStore: (t: Test) => Promise<MenuStore>): void {
  t.test('an empty store is seeded once, in the seed order', async (t) => {
    const store = await makeStore(t)
    t.equal(await store.seedIfEmpty(seed), true)
    t.strictSame(await store.items(), seed)
    t.equal(await store.seedIfEmpty(seed.map((item) => ({ ...item, priceCents: 1 }))), false)
    t.strictSame(await store.items(), seed)
    t.strictSame(await store.history('seed-a'), [seed[0]])
  })

  t.test('a store that holds an item is not seeded', async (t) => {
    const store = await makeStore(t)
    const own = buildMenuItem({ id: 'own' })
    await store.write(own)
    t.equal(await store.seedIfEmpty(seed), false)
    t.strictSame(await store.items(), [own])
  })

  t.test('kitchens seeding at once store each item once, and one of them says it seeded', async (t) => {
    const store = await makeStore(t)
    const results = await Promise.all(Array.from({ length: 4 }, () => store.seedIfEmpty(seed)))
    t.equal(results.filter(Boolean).length, 1)
    t.strictSame(await store.items(), seed)
    t.strictSame(await Promise.all(seed.map((item) => store.history(item.id))), seed.map((item) => [item]))
  })

  t.test('a seeded item is changed as any other', async (t) => {
    const store = await makeStore(t)
    await store.seedIfEmpty(seed)
    t.equal(await store.write(changed(buildMenuItem({ id: 'seed-a' }), { available: false })), true)
    t.strictSame((await store.items()).map((item) => [item.id, item.version]), [['seed-a', 2], ['seed-b', 1], ['seed-c', 1]])
  })
}
