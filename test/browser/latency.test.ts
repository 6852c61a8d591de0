import t from 'tap'
import type { Page } from 'playwright-core'
import { launchBrowser, signedInPage } from '../support/browser.js'
import { placeOrders } from '../support/order-client.js'
import { startStack } from '../support/stack.js'

interface Received {
  orderId: string
  status: string
  at: string
  receivedAt: number
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN

/** Places `count` orders with `concurrency` clients and waits until the pass has seen each one ready. */
async function run(board: Page, gatewayUrl: string, count: number, concurrency: number, keyPrefix: string) {
  const records = await placeOrders(() => gatewayUrl, count, { concurrency, keyPrefix, deadlineMs: Date.now() + 60_000 })
  const ids = new Set(records.flatMap((record) => (record.id ? [record.id] : [])))
  const ours = async () => (await board.evaluate<Received[]>('window.restaurant.received')).filter((event) => ids.has(event.orderId))
  for (let waited = 0; (await ours()).filter((event) => event.status === 'ready').length < count && waited < 30_000; waited += 200) await board.waitForTimeout(200)
  const received = await ours()
  // `at` is when the kitchen made the change, just before storing and publishing it: the figure includes both.
  const sorted = received.filter((event) => event.status !== 'placed').map((event) => event.receivedAt - Date.parse(event.at)).sort((a, b) => a - b)
  return { received, summary: `${sorted.length} events: median ${percentile(sorted, 0.5)} ms, p99 ${percentile(sorted, 0.99)} ms, max ${sorted.at(-1)} ms` }
}

/** Figures, not bounds: the time from a kitchen's status change to the event in a browser on the pass. */
t.test('every status change reaches the pass in the browser; time from the kitchen to the browser, under load and one by one', async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0', LOG_LEVEL: 'warn' })
  t.teardown(stack.stop)
  const board = await signedInPage(await launchBrowser(t), `${stack.gateway.url}/board`, 'staff')
  await board.getByText('Live updates: live').waitFor()
  const loaded = await run(board, stack.gateway.url, 200, 10, 'loaded')
  t.equal(loaded.received.length, 200 * 4, 'placed, accepted, cooking and ready of every order')
  t.comment(`kitchen status change → browser, 200 orders from 10 clients at once, ${loaded.summary}`)
  const paced = await run(board, stack.gateway.url, 50, 1, 'paced')
  t.equal(paced.received.length, 50 * 4)
  t.comment(`kitchen status change → browser, 50 orders one after another, ${paced.summary}`)
})
