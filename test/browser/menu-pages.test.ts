import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import type { Menu, MenuItem, NewMenuItem } from '@restaurant/contracts/menu'
import type { Order } from '@restaurant/contracts/orders'
import { launchBrowser, pageWithToken, screenshot, signedInPage } from '../support/browser.js'
import { admin, bearer, staff, tokenFor } from '../support/credentials.js'
import { startStack } from '../support/stack.js'

async function stackFor(t: Test) {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0' })
  t.teardown(stack.stop)
  return stack
}

/** Calls the API through the gateway; resolves with the status and the parsed body. */
async function call<T>(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  return { status: response.status, body: (await response.json()) as T }
}

async function menuItem(gatewayUrl: string, id: string): Promise<MenuItem | undefined> {
  return (await call<Menu>(`${gatewayUrl}/api/menu`)).body.items.find((item) => item.id === id)
}

/** Money as the page writes it (the browser's own locale). */
const moneyIn = (page: Page, cents: number) => page.evaluate((value) => (value / 100).toLocaleString(undefined, { style: 'currency', currency: 'EUR' }), cents)

const halloumiFries: NewMenuItem = {
  id: 'halloumi-fries',
  name: 'Halloumi fries',
  description: 'Grilled halloumi sticks with mint yoghurt.',
  category: 'Sides',
  priceCents: 690,
  prepSeconds: 4,
  station: 'fry',
  available: true,
  optionGroups: [],
}

t.test('the guest page shows a dish added, a dish sold out and a new price through the API without a reload, and keeps the basket', async (t) => {
  const stack = await stackFor(t)
  const api = stack.gateway.url
  const page = await signedInPage(await launchBrowser(t), `${api}/`, 'guest')
  await page.getByRole('button', { name: 'Add Fries' }).click()
  await page.evaluate('window.sameDocument = true')

  t.equal((await call(`${api}/api/menu/items`, { method: 'POST', headers: bearer(admin), body: halloumiFries })).status, 201, 'an admin adds a dish')
  t.equal((await call(`${api}/api/menu/onion-rings`, { method: 'PATCH', headers: bearer(staff), body: { available: false } })).status, 200, 'staff mark a dish sold out')
  const fries = await menuItem(api, 'fries')
  const priced = await call<MenuItem>(`${api}/api/menu/items/fries`, { method: 'PATCH', headers: { ...bearer(admin), 'if-match': `"${fries?.version}"` }, body: { priceCents: 500 } })
  t.equal(priced.status, 200, 'an admin changes a price')
  const changedAt = Date.now()

  const halloumi = page.locator('[data-item="halloumi-fries"]')
  await halloumi.getByRole('button', { name: 'Add Halloumi fries' }).waitFor({ timeout: 10_000 })
  await page.locator('[data-item="onion-rings"]').getByText('Sold out').waitFor({ timeout: 10_000 })
  const newPrice = await moneyIn(page, 500)
  await page.locator('[data-item="fries"]').getByText(newPrice).waitFor({ timeout: 10_000 })
  t.comment(`the menu's changes → shown on the guest page (polling every 2 s): ${Date.now() - changedAt} ms`)
  await screenshot(page, 'menu-live-new-dish-sold-out-new-price')

  t.equal(await page.evaluate<boolean>("'sameDocument' in window"), true, 'the page was not reloaded')
  t.match(await halloumi.textContent(), /Grilled halloumi sticks with mint yoghurt/, 'the new dish shows its description')
  t.equal(await page.getByRole('button', { name: 'Add Onion rings' }).count(), 0, 'a sold-out dish can no longer be added')
  t.equal((await menuItem(api, 'onion-rings'))?.available, false, 'the menu says sold out too')
  t.equal(await page.getByLabel('Quantity of Fries').inputValue(), '1', 'the basket kept its line')
  t.equal(await page.locator('#total').textContent(), newPrice, 'and shows it at the new price')
})

t.test('a guest orders a ribeye steak with its doneness and a sauce and is charged what the API priced', async (t) => {
  const stack = await stackFor(t)
  const page = await signedInPage(await launchBrowser(t), `${stack.gateway.url}/`, 'guest', { width: 390, height: 844 })
  const steak = page.locator('[data-item="ribeye-steak"]')
  const add = steak.getByRole('button', { name: 'Add Ribeye steak' })
  await add.waitFor()
  t.equal(await add.isDisabled(), true, 'the doneness is required before adding')
  t.match(await steak.textContent(), /Choose doneness to add it/, 'and the page says so')
  await steak.getByLabel('Medium rare').check()
  await steak.getByLabel('Peppercorn').check()
  await add.click()
  const basketTotal = await page.locator('#total').textContent()
  t.equal(basketTotal, await moneyIn(page, 2650 + 200), 'the basket adds the sauce to the dish')
  await screenshot(page, 'menu-steak-with-options-in-basket-phone')

  const placed = page.waitForResponse((response) => response.url().endsWith('/api/orders') && response.request().method() === 'POST')
  await page.getByRole('button', { name: 'Place order' }).click()
  const order = (await (await placed).json()) as Order
  await page.locator('#orders > li').first().waitFor()
  await screenshot(page, 'menu-steak-ordered-phone')

  t.same(order.lines[0]?.options?.map((option) => option.id), ['medium-rare', 'peppercorn'], 'the order carries the options chosen')
  t.equal(order.lines[0]?.unitPriceCents, 2850, 'the dish with its sauce')
  t.equal(order.totalCents, 2850, 'the total the API priced')
  const token = await page.evaluate<string | null>("localStorage.getItem('restaurant.token.customer')")
  const stored = await call<Order>(`${stack.gateway.url}/api/orders/${order.id}`, { headers: { authorization: `Bearer ${token}` } })
  t.equal(stored.body.totalCents, order.totalCents, 'the kitchen keeps the total it was priced at')
  t.equal(await page.locator('#orders > li .order-total').first().textContent(), basketTotal, 'the page shows the total charged')
  t.match(await page.locator('#orders > li').first().textContent(), /1× Ribeye steak \(Medium rare, Peppercorn\)/, 'the order shows its options')
})

t.test('an admin edits a price on the admin page, then meets an edit made behind its back and re-applies theirs', async (t) => {
  const stack = await stackFor(t)
  const api = stack.gateway.url
  const page = await pageWithToken(await launchBrowser(t), `${api}/admin`, 'admin', tokenFor(admin))
  const editor = page.locator('#editor')
  const editPrice = async (euros: string) => {
    await page.getByRole('button', { name: 'Edit Fries' }).click()
    await editor.getByLabel('Price (€)').fill(euros)
    await editor.getByRole('button', { name: 'Save Fries' }).click()
  }
  await editPrice('4.90')
  await page.getByText('Saved: Fries is now at version 2.').waitFor()
  t.match(await menuItem(api, 'fries'), { priceCents: 490, version: 2, changedBy: admin.subject }, 'the menu has the new price')

  await page.getByRole('button', { name: 'Edit Fries' }).click()
  const behindItsBack = { ...bearer({ subject: 'other-admin', roles: ['admin'] }), 'if-match': '"2"' }
  t.equal((await call(`${api}/api/menu/items/fries`, { method: 'PATCH', headers: behindItsBack, body: { description: 'Changed elsewhere.' } })).status, 200, 'another admin edits the item')
  await editor.getByLabel('Price (€)').fill('5.20')
  await editor.getByRole('button', { name: 'Save Fries' }).click()
  const conflict = page.locator('#conflict')
  await conflict.getByText('Someone else changed Fries').waitFor()
  await screenshot(page, 'admin-stale-edit-conflict')
  t.match(await conflict.textContent(), /other-admin changed it since.*now version 3/s, 'says who changed it and its version now')
  t.match(await conflict.textContent(), /Changed elsewhere\./, 'shows the current values')
  t.match(await menuItem(api, 'fries'), { priceCents: 490, description: 'Changed elsewhere.', version: 3 }, 'the stale edit was not applied')

  await conflict.getByRole('button', { name: 'Re-apply my change on version 3' }).click()
  await page.getByText('Saved: Fries is now at version 4.').waitFor()
  t.match(await menuItem(api, 'fries'), { priceCents: 520, description: 'Changed elsewhere.', version: 4 }, 'both changes stand')
  await page.locator('[data-item="fries"]').getByText('4', { exact: true }).waitFor()
  await screenshot(page, 'admin-edit-reapplied')
})

t.test("an admin changes an option's price, adds an option and removes one on the admin page", async (t) => {
  const stack = await stackFor(t)
  const api = stack.gateway.url
  const page = await pageWithToken(await launchBrowser(t), `${api}/admin`, 'admin', tokenFor(admin))
  await page.getByRole('button', { name: 'Edit Caesar salad' }).click()
  const editor = page.locator('#editor')
  await editor.getByLabel('Extra price of Prawns (€)').fill('5.00')
  await editor.getByRole('button', { name: 'Remove Grilled chicken' }).click()
  await editor.getByRole('button', { name: 'Add an option to Add protein' }).click()
  await editor.getByLabel('Name of new option').fill('Smoked salmon')
  await editor.getByLabel('Extra price of new option (€)').fill('4.20')
  await screenshot(page, 'admin-editing-options')
  await editor.getByRole('button', { name: 'Save Caesar salad' }).click()
  await page.getByText('Saved: Caesar salad is now at version 2.').waitFor()
  const options = (await menuItem(api, 'caesar-salad'))?.optionGroups[0]?.options
  t.same(
    options?.map(({ id, name, priceDeltaCents }) => ({ id, name, priceDeltaCents })),
    [
      { id: 'prawns', name: 'Prawns', priceDeltaCents: 500 },
      { id: 'smoked-salmon', name: 'Smoked salmon', priceDeltaCents: 420 },
    ],
  )
})

t.test('an admin adds an item with the form and retires another on the admin page', async (t) => {
  const stack = await stackFor(t)
  const api = stack.gateway.url
  const page = await pageWithToken(await launchBrowser(t), `${api}/admin`, 'admin', tokenFor(admin))
  page.on('dialog', (dialog) => void dialog.accept())
  const form = page.locator('#new-item')
  await form.getByLabel('Name').fill(halloumiFries.name)
  await form.getByLabel('Category').fill(halloumiFries.category)
  await form.getByLabel('Price (€)').fill('6.90')
  await form.getByLabel('Station').selectOption(halloumiFries.station)
  await form.getByLabel('Description').fill(halloumiFries.description)
  await form.getByRole('button', { name: 'Add the item' }).click()
  await page.locator('[data-item="halloumi-fries"]').waitFor()
  const { id, name, description, category, priceCents, station, available } = halloumiFries
  t.match(await menuItem(api, 'halloumi-fries'), { id, name, description, category, priceCents, station, available, version: 1, changedBy: admin.subject })

  await page.getByRole('button', { name: 'Retire Iced tea' }).click()
  await page.getByText('Saved: Iced tea is now at version 2, retired.').waitFor()
  t.equal(await menuItem(api, 'iced-tea'), undefined, 'a retired item leaves the menu')
  const history = await call<{ states: MenuItem[] }>(`${api}/api/menu/items/iced-tea/history`, { headers: bearer(admin) })
  t.match(history.body.states.at(-1), { retired: true, version: 2, changedBy: admin.subject }, 'and is kept, retired')
  await page.locator('[data-item="iced-tea"]').waitFor({ state: 'detached' })
  await screenshot(page, 'admin-item-added-another-retired')
})

t.test('the admin page tells someone who is not an admin that it is for admins only', async (t) => {
  const stack = await stackFor(t)
  const page = await pageWithToken(await launchBrowser(t), `${stack.gateway.url}/admin`, 'admin', tokenFor(staff))
  await page.getByText('This page is for admins only: you are signed in as staff.').waitFor()
  t.equal(await page.getByRole('button', { name: 'Edit Fries' }).count(), 0, 'no editing offered')
  await screenshot(page, 'admin-page-admins-only')
})
