import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { menu, type MenuItem } from '@restaurant/contracts/menu'
import { createLogger } from '../../src/runtime/logger.js'
import { keepMenuCopy } from '../../src/menu/menu-copy.js'

const log = createLogger({ name: 'test', level: 'silent', pretty: false })
const fries = menu.find((item) => item.id === 'fries') as MenuItem
const next = (item: MenuItem, changes: Partial<MenuItem> = {}): MenuItem => ({ ...item, ...changes, version: item.version + 1 })

/** A copy over an owner held in `owned`, with the owner's announcements delivered by `announce`. */
async function copyOf(t: Test, owned: { items: MenuItem[]; down: boolean }, reloadEveryMs = 60_000) {
  let onChange: (item: MenuItem) => Promise<void> = async () => undefined
  let resubscribe = () => undefined as void
  let loads = 0
  const copy = await keepMenuCopy({
    load: async () => {
      loads++
      if (owned.down) throw new Error('the kitchen cannot answer')
      return [...owned.items]
    },
    follow: async (handler, onSubscribed) => {
      onChange = handler
      resubscribe = onSubscribed
    },
    reloadEveryMs,
    log,
  })
  t.teardown(copy.close)
  return { copy, announce: (item: MenuItem) => onChange(item), resubscribe: () => resubscribe(), loads: () => loads }
}

t.test('loaded whole at start, then changed item by item as announced', async (t) => {
  const owned = { items: [...menu], down: false }
  const { copy, announce, loads } = await copyOf(t, owned)
  t.equal(copy.current().version, menu.length)
  await announce(next(fries, { priceCents: 490 }))
  t.match(copy.current().items.find((item) => item.id === 'fries'), { priceCents: 490 })
  t.equal(copy.current().version, menu.length + 1)
  t.equal(loads(), 1, 'no reload for a change that follows the last')
})

t.test('a gap in an item’s versions loads the whole menu again, as does a new subscription', async (t) => {
  const owned = { items: [...menu], down: false }
  const { copy, announce, resubscribe, loads } = await copyOf(t, owned)
  const two = next(fries, { priceCents: 490 })
  const three = next(two, { available: false })
  owned.items = menu.map((item) => (item.id === 'fries' ? three : item))
  await announce(three)
  await t.resolveMatch(waitFor(() => copy.current().items.find((item) => item.id === 'fries')?.version === 3), true)
  t.equal(loads(), 2)
  resubscribe()
  await waitFor(() => loads() === 3)
  t.equal(loads(), 3)
})

t.test('a copy not loaded yet answers 503 and keeps trying; once loaded a failed reload keeps what it holds', async (t) => {
  const owned = { items: [...menu], down: true }
  const { copy, loads } = await copyOf(t, owned, 200)
  t.throws(() => copy.current(), { code: 'DEPENDENCY_UNAVAILABLE', statusCode: 503 })
  owned.down = false
  await waitFor(() => copy.loaded())
  t.equal(copy.current().items.length, menu.length)
  owned.down = true
  const before = loads()
  await waitFor(() => loads() > before + 1)
  t.equal(copy.current().items.length, menu.length, 'the copy held stands while the owner is away')
})

t.test('the periodic reload brings in a change whose announcement was lost', async (t) => {
  const owned = { items: [...menu], down: false }
  const { copy } = await copyOf(t, owned, 100)
  owned.items = menu.map((item) => (item.id === 'fries' ? next(fries, { priceCents: 470 }) : item))
  await waitFor(() => copy.current().items.find((item) => item.id === 'fries')?.priceCents === 470)
  t.match(copy.current().items.find((item) => item.id === 'fries'), { priceCents: 470 })
})

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; !condition(); await sleep(10)) if (Date.now() > deadline) throw new Error('timed out')
  return true
}
