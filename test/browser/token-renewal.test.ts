import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { launchBrowser, signedInPage } from '../support/browser.js'
import { bearer, customer, tokenFor } from '../support/credentials.js'
import { startStack } from '../support/stack.js'

/**
 * Tokens that live a minute (the shortest JWT_MAX_LIFETIME_SECONDS allows): the pass renews its token before it ends,
 * and its live updates, which the gateway ends with the first token, resume with the new one.
 */
t.test('the pass renews its token before it ends and its live updates go on with the new one', async (t) => {
  const stack = await startStack({ JWT_MAX_LIFETIME_SECONDS: '60' })
  t.teardown(stack.stop)
  const board = await signedInPage(await launchBrowser(t), `${stack.gateway.url}/board`, 'staff')
  await board.getByText('Live updates: live').waitFor()
  const tokenNow = () => board.evaluate<string | null>("localStorage.getItem('restaurant.token.staff')")
  const first = await tokenNow()
  const claimsOf = (token: string | null) => JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString()) as { sub: string; exp: number }
  for (const giveUpAt = Date.now() + 70_000; (await tokenNow()) === first && Date.now() < giveUpAt; ) await new Promise((resolve) => setTimeout(resolve, 500))
  const second = await tokenNow()
  t.ok(second !== first && Date.now() < claimsOf(first).exp * 1000, 'a new token, while the first still lived')
  t.equal(claimsOf(second).sub, claimsOf(first).sub, 'for the same subject')
  // Past the first token's end, when the gateway has ended the stream it opened.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, claimsOf(first).exp * 1000 + 3_000 - Date.now())))
  const response = await fetch(`${stack.gateway.url}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(tokenFor(customer('table-4'), 60)) },
    body: JSON.stringify({ items: [{ menuItemId: 'lemonade', quantity: 1 }], table: '4' }),
  })
  const order = (await response.json()) as Order
  await board.locator(`[data-order="${order.id}"]`).waitFor({ timeout: 15_000 })
  t.pass('an order placed after the first token ended reaches the pass live')
})
