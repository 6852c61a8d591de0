import t, { type Test } from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { launchBrowser, screenshot, signedInPage } from '../support/browser.js'
import { startStack } from '../support/stack.js'

/** A stack cooking at `speed`, and a guest's page on it with these dishes added to the basket. */
async function guestWithBasket(t: Test, speed: string, dishes: string[], viewport?: { width: number; height: number }) {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: speed })
  t.teardown(stack.stop)
  const page = await signedInPage(await launchBrowser(t), `${stack.gateway.url}/`, 'guest', viewport)
  for (const dish of dishes) await page.getByRole('button', { name: `Add ${dish}` }).click()
  const placeOrder = page.getByRole('button', { name: 'Place order' })
  const latestStatus = page.locator('#orders > li').first().getByRole('status')
  return { stack, page, placeOrder, latestStatus }
}

t.test('a guest orders by clicking and watches the order reach ready without reloading', async (t) => {
  const { page, placeOrder, latestStatus } = await guestWithBasket(t, '0.1', ['Fries', 'Lemonade'], { width: 390, height: 844 })
  await page.getByLabel('Notes for Fries').fill('extra salt')
  await placeOrder.click()
  await latestStatus.filter({ hasText: 'cooking' }).waitFor({ timeout: 15_000 }).catch(() => undefined)
  await screenshot(page, 'guest-order-in-progress-phone')
  await latestStatus.filter({ hasText: 'ready' }).waitFor({ timeout: 15_000 })
  await screenshot(page, 'guest-order-ready-phone')
  t.match(await page.locator('#orders > li').first().textContent(), /1× Fries, 1× Lemonade/)
  t.equal(await page.locator('ol.steps li.done').count(), 4, 'placed, accepted, cooking and ready, each with its time')
})

t.test('a double click on "Place order" places one order', async (t) => {
  const { stack, page, placeOrder, latestStatus } = await guestWithBasket(t, '0', ['Espresso'])
  await placeOrder.dblclick()
  await latestStatus.filter({ hasText: 'ready' }).waitFor({ timeout: 15_000 })
  const token = await page.evaluate<string | null>("localStorage.getItem('restaurant.token.customer')")
  const { orders } = (await (await fetch(`${stack.gateway.url}/api/orders`, { headers: { authorization: `Bearer ${token}` } })).json()) as { orders: Order[] }
  t.equal(orders.length, 1, 'one order in the kitchen')
  t.equal(await page.locator('#orders > li').count(), 1, 'one order on the page')
  await screenshot(page, 'guest-double-click-one-order')
})

t.test('after losing its connection (gateway and waiter restarted) the page resumes and shows the final status', async (t) => {
  // Speed factor 0.5: a grilled chicken cooks for 5 s, long enough to restart the servers in the middle.
  const { stack, page, placeOrder, latestStatus } = await guestWithBasket(t, '0.5', ['Grilled chicken'])
  await placeOrder.click()
  await latestStatus.filter({ hasText: 'cooking' }).waitFor({ timeout: 15_000 })
  await stack.restart('waiter')
  await stack.restart('gateway')
  await latestStatus.filter({ hasText: 'ready' }).waitFor({ timeout: 30_000 })
  await screenshot(page, 'guest-resumed-after-restart')
  t.equal(await page.locator('ol.steps li.done').count(), 4, 'no step missed across the restart')
})
