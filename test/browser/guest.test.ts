import t from 'tap'
import type { Order } from '@restaurant/shared'
import { launchBrowser, screenshot, signedInPage } from '../support/browser.js'
import { startStack } from '../support/stack.js'

t.test('a guest orders by clicking and watches the order reach ready without reloading', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0.1' })
  t.teardown(stack.stop)
  const page = await signedInPage(await launchBrowser(t), `${stack.gateway.url}/`, 'guest', { width: 390, height: 844 })
  await page.getByRole('button', { name: 'Add Fries' }).click()
  await page.getByRole('button', { name: 'Add Lemonade' }).click()
  await page.getByLabel('Notes for Fries').fill('extra salt')
  await page.getByRole('button', { name: 'Place order' }).click()
  const order = page.locator('#orders > li').first()
  await order.getByRole('status').filter({ hasText: 'cooking' }).waitFor({ timeout: 15_000 }).catch(() => undefined)
  await screenshot(page, 'guest-order-in-progress-phone')
  await order.getByRole('status').filter({ hasText: 'ready' }).waitFor({ timeout: 15_000 })
  await screenshot(page, 'guest-order-ready-phone')
  t.match(await order.textContent(), /1× Fries, 1× Lemonade/)
  t.equal(await page.locator('ol.steps li.done').count(), 4, 'placed, accepted, cooking and ready, each with its time')
})

t.test('a double click on "Place order" places one order', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0' })
  t.teardown(stack.stop)
  const page = await signedInPage(await launchBrowser(t), `${stack.gateway.url}/`, 'guest')
  await page.getByRole('button', { name: 'Add Espresso' }).click()
  await page.getByRole('button', { name: 'Place order' }).dblclick()
  await page.locator('#orders > li').first().getByRole('status').filter({ hasText: 'ready' }).waitFor({ timeout: 15_000 })
  const token = await page.evaluate<string | null>("localStorage.getItem('restaurant.token.customer')")
  const { orders } = (await (await fetch(`${stack.gateway.url}/api/orders`, { headers: { authorization: `Bearer ${token}` } })).json()) as { orders: Order[] }
  t.equal(orders.length, 1, 'one order in the kitchen')
  t.equal(await page.locator('#orders > li').count(), 1, 'one order on the page')
  await screenshot(page, 'guest-double-click-one-order')
})

t.test('after losing its connection (gateway and waiter restarted) the page resumes and shows the final status', async (t) => {
  // Speed factor 0.5: a grilled chicken cooks for 5 s, long enough to restart the servers in the middle.
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0.5' })
  t.teardown(stack.stop)
  const page = await signedInPage(await launchBrowser(t), `${stack.gateway.url}/`, 'guest')
  await page.getByRole('button', { name: 'Add Grilled chicken' }).click()
  await page.getByRole('button', { name: 'Place order' }).click()
  const status = page.locator('#orders > li').first().getByRole('status')
  await status.filter({ hasText: 'cooking' }).waitFor({ timeout: 15_000 })
  await stack.restart('waiter')
  await stack.restart('gateway')
  await status.filter({ hasText: 'ready' }).waitFor({ timeout: 30_000 })
  await screenshot(page, 'guest-resumed-after-restart')
  t.equal(await page.locator('ol.steps li.done').count(), 4, 'no step missed across the restart')
})
