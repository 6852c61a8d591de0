import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import type { Menu, MenuItem } from '@restaurant/contracts/menu'
import type { Order } from '@restaurant/contracts/orders'
import { admin, bearer, customer, signedGet, staff } from '../support/credentials.js'
import { eventually, removeRedisKeys } from '../support/isolation.js'
import { loadCustomer, placeOrders } from '../support/order-client.js'
import { allTickets, openOrders } from '../support/scoring.js'
import { startStack, type Stack } from '../support/stack.js'

const IN_FLIGHT = 600
const burgerWithCheese = { items: [{ menuItemId: 'classic-burger', quantity: 1, options: ['medium', 'cheese'] }] }
const steak = {
  id: 'tomahawk',
  name: 'Tomahawk steak',
  description: '1 kg on the bone, for two',
  category: 'Mains',
  priceCents: 6900,
  prepSeconds: 14,
  station: 'grill',
  available: true,
  optionGroups: [
    { id: 'doneness', name: 'Doneness', minChoices: 1, maxChoices: 1, options: [{ id: 'rare', name: 'Rare', priceDeltaCents: 0, prepSecondsDelta: 0 }, { id: 'medium', name: 'Medium', priceDeltaCents: 0, prepSecondsDelta: 2 }] },
    { id: 'sides', name: 'Sides', minChoices: 0, maxChoices: 2, options: [{ id: 'bone-marrow', name: 'Bone marrow', priceDeltaCents: 450, prepSecondsDelta: 0 }, { id: 'truffle-fries', name: 'Truffle fries', priceDeltaCents: 600, prepSecondsDelta: 1 }] },
  ],
}

/** JSON to the gateway as `credential`, with extra headers; the answer's status, body and ETag. */
async function call(stack: Stack, method: string, path: string, credential: Record<string, string>, body?: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.gateway.url}${path}`, {
    method,
    headers: { ...credential, ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: response.status, body: (await response.json().catch(() => undefined)) as unknown, etag: response.headers.get('etag') }
}

// By default straight from one waiter, as the gateway would ask it.
const menuAt = async (baseUrl: string, headers = signedGet(customer(), `${baseUrl}/api/menu`)) => (await (await fetch(`${baseUrl}/api/menu`, { headers })).json()) as Menu
const itemOf = (menu: Menu, id: string) => menu.items.find((item) => item.id === id) as MenuItem

/** How long after `from` each waiter, asked on its own port every 5 ms, serves `priceCents` for the item. */
async function propagation(stack: Stack, id: string, priceCents: number, from: number): Promise<number[]> {
  return Promise.all(
    stack.waiters.map(async (waiter) => {
      while (itemOf(await menuAt(waiter.url), id).priceCents !== priceCents) {
        if (Date.now() - from > 10_000) throw new Error(`waiter ${waiter.url} did not serve the new price in 10 s`)
        await sleep(5)
      }
      return Date.now() - from
    }),
  )
}

t.test('the menu is data the kitchen owns: edited by admins, followed by every waiter, never repricing a placed order', async (t) => {
  // The periodic reload is far off: only the kitchen's announcements can carry a change to the waiters in time.
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0.03', MENU_RELOAD_MS: '600000' }, { waiters: 2 })
  t.teardown(stack.stop)
  const asAdmin = bearer(admin)

  const added = await call(stack, 'POST', '/api/menu/items', asAdmin, steak)
  t.match(added, { status: 201, etag: '"1"', body: { id: 'tomahawk', version: 1, changedBy: admin.subject } })
  const ordered = await call(stack, 'POST', '/api/orders', loadCustomer, { items: [{ menuItemId: 'tomahawk', quantity: 2, options: ['medium', 'bone-marrow', 'truffle-fries'] }] })
  t.match(ordered, { status: 202, body: { totalCents: 2 * (6900 + 450 + 600), lines: [{ unitPriceCents: 7950, prepSeconds: 17, options: [{ id: 'medium' }, { id: 'bone-marrow' }, { id: 'truffle-fries' }] }] } })
  const refused = await call(stack, 'POST', '/api/orders', loadCustomer, { items: [{ menuItemId: 'tomahawk', quantity: 1, options: ['bone-marrow'] }] })
  t.match(refused, { status: 422, body: { invalidParams: [{ name: '/items/0/options', reason: 'Doneness: choose at least 1' }] } })

  const before = await call(stack, 'GET', '/api/menu', {})
  const burger = itemOf(before.body as Menu, 'classic-burger')
  const order = (count: number, keyPrefix: string) =>
    placeOrders(() => stack.gateway.url, count, { concurrency: 20, keyPrefix, deadlineMs: Date.now() + 120_000, body: burgerWithCheese })
  const placedBefore = await order(IN_FLIGHT, 'menu-before')
  const changed = await call(stack, 'PATCH', '/api/menu/items/classic-burger', asAdmin, { priceCents: burger.priceCents + 200 }, { 'if-match': `"${burger.version}"` })
  const changedAt = Date.now()
  t.match(changed, { status: 200, body: { priceCents: burger.priceCents + 200, version: burger.version + 1 } })
  const inFlight = (await openOrders(placedBefore, stack.kitchen.url)).total ?? 0
  const waitersMs = await propagation(stack, 'classic-burger', burger.priceCents + 200, changedAt)
  const stale = await call(stack, 'PATCH', '/api/menu/items/classic-burger', asAdmin, { priceCents: 1 }, { 'if-match': `"${burger.version}"` })
  t.match(stale, { status: 412, body: { code: 'stale-edit', current: { priceCents: burger.priceCents + 200 } } })
  const placedAfter = await order(100, 'menu-after')

  const records = [...placedBefore, ...placedAfter]
  t.equal(records.filter((record) => record.id).length, records.length, 'every order taken')
  await eventually(async () => ((await openOrders(records, stack.kitchen.url)).total === 0 ? true : undefined), 120_000, 'every order ready')
  const tickets = new Map((await allTickets(stack.kitchen.url)).map((ticket) => [ticket.id, ticket]))
  const { version } = before.body as Menu
  const expected = [...placedBefore.map((record) => ({ record, menuVersion: version, unit: burger.priceCents + 100 })), ...placedAfter.map((record) => ({ record, menuVersion: version + 1, unit: burger.priceCents + 300 }))]
  const wrong = expected.flatMap(({ record, menuVersion, unit }) => {
    const ticket = tickets.get(record.id ?? '') as Order
    const right = ticket.menuVersion === menuVersion && ticket.lines[0]?.unitPriceCents === unit && ticket.totalCents === record.order?.totalCents && ticket.status === 'ready'
    return right ? [] : [`${record.id}: ${ticket.menuVersion} ${ticket.lines[0]?.unitPriceCents} ${ticket.status}`]
  })
  t.same(wrong, [], 'every order kept the price of the menu version it records (the one before the change, or after), as answered when placed, and was cooked')
  t.comment(`menu change: ${inFlight} orders between 202 and ready when the price changed; the waiters served it ${waitersMs.join(' ms and ')} ms after the change was answered`)

  // What is durable is in the kitchen's store: neither a Redis that lost everything nor a restart of everything changes the menu.
  await call(stack, 'PATCH', '/api/menu/fries', bearer(staff), { available: false })
  const settled = await eventually(async () => {
    const menus = await Promise.all(stack.waiters.map((waiter) => menuAt(waiter.url)))
    return menus.every((menu) => !itemOf(menu, 'fries').available) ? menus[0] : undefined
  }, 10_000, 'fries sold out everywhere')
  await removeRedisKeys(stack.run.redisPrefix)
  t.same(await menuAt(stack.gateway.url, {}), settled, 'Redis emptied: sold-out marks and prices unchanged')
  for (const name of ['kitchen', 'waiter', 'gateway'] as const) await stack.restart(name, 'SIGTERM')
  await stack.restart('waiter', 'SIGTERM', 1)
  const afterRestart = await eventually(async () => {
    const response = await fetch(`${stack.gateway.url}/api/menu`)
    return response.status === 200 ? ((await response.json()) as Menu) : undefined
  }, 20_000, 'the menu after the restart')
  t.same(afterRestart, settled, 'every service restarted: the menu is unchanged')
})
