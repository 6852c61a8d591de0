import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { launchBrowser, screenshot, signedInPage } from '../support/browser.js'
import { bearer, customer } from '../support/credentials.js'
import { startStack } from '../support/stack.js'

t.test('the pass shows a ticket moving from column to column as the kitchen works', async (t) => {
  // Speed factor 0.3: two grilled chickens cook for 3 s.
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0.3' })
  t.teardown(stack.stop)
  const board = await signedInPage(await launchBrowser(t), `${stack.gateway.url}/board`, 'staff', { width: 1920, height: 1080 })
  await board.getByText('Live updates: live').waitFor()
  const response = await fetch(`${stack.gateway.url}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(customer('table-9')) },
    body: JSON.stringify({ items: [{ menuItemId: 'grilled-chicken', quantity: 2 }], table: '9' }),
  })
  const order = (await response.json()) as Order
  const ticket = (column: string) => board.locator(`[data-column="${column}"] [data-order="${order.id}"]`)
  await ticket('cooking').waitFor({ timeout: 10_000 })
  await screenshot(board, 'board-ticket-cooking-wall')
  await ticket('ready').waitFor({ timeout: 15_000 })
  await screenshot(board, 'board-ticket-ready-wall')
  t.equal(await board.locator(`[data-order="${order.id}"]`).count(), 1, 'one ticket, now in Ready')
  t.match(await ticket('ready').textContent(), /table 9.*2× Grilled chicken/s)
})

t.test('staff mark an item sold out on the pass and the menu shows it', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0' })
  t.teardown(stack.stop)
  const browser = await launchBrowser(t)
  const board = await signedInPage(browser, `${stack.gateway.url}/board`, 'staff')
  const guest = await signedInPage(browser, `${stack.gateway.url}/`, 'guest')
  await guest.getByRole('button', { name: 'Add Onion rings' }).waitFor()
  await board.getByRole('button', { name: 'Mark Onion rings sold out' }).click()
  await board.getByRole('button', { name: 'Put Onion rings back on the menu' }).waitFor()
  await guest.locator('[data-item="onion-rings"]').getByText('Sold out').waitFor({ timeout: 10_000 })
  t.equal(await guest.getByRole('button', { name: 'Add Onion rings' }).count(), 0, 'it can no longer be added')
  await screenshot(guest, 'menu-item-sold-out')
  await screenshot(board, 'board-item-sold-out')
})
