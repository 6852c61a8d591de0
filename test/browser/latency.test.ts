import t from 'tap'
import { launchBrowser, signedInPage } from '../support/browser.js'
import { placeOrders } from '../support/order-client.js'
import { startStack } from '../support/stack.js'

const ORDERS = 200
interface Received {
  orderId: string
  status: string
  at: string
  receivedAt: number
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN

/** A figure, not a bound: the time from a kitchen's status change to the event in a browser on the pass. */
t.test(`${ORDERS} orders: every status change reaches the pass in the browser; time from the kitchen to the browser`, async (t) => {
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0', LOG_LEVEL: 'warn' })
  t.teardown(stack.stop)
  const board = await signedInPage(await launchBrowser(t), `${stack.gateway.url}/board`, 'staff')
  await board.getByText('Live updates: live').waitFor()
  const records = await placeOrders(() => stack.gateway.url, ORDERS, { concurrency: 10, keyPrefix: 'latency', deadlineMs: Date.now() + 60_000 })
  const ids = new Set(records.flatMap((record) => (record.id ? [record.id] : [])))
  const readyCount = async () => (await board.evaluate<Received[]>('window.restaurant.received')).filter((event) => event.status === 'ready').length
  for (let waited = 0; (await readyCount()) < ORDERS && waited < 30_000; waited += 200) await board.waitForTimeout(200)
  const received = (await board.evaluate<Received[]>('window.restaurant.received')).filter((event) => ids.has(event.orderId))
  t.equal(received.length, ORDERS * 4, 'placed, accepted, cooking and ready of every order')
  // `at` is when the kitchen made the change, just before storing and publishing it: the figure includes both.
  const fromKitchen = received.filter((event) => event.status !== 'placed').map((event) => event.receivedAt - Date.parse(event.at))
  const sorted = fromKitchen.sort((a, b) => a - b)
  t.comment(`kitchen status change → browser, ${sorted.length} events: median ${percentile(sorted, 0.5)} ms, p99 ${percentile(sorted, 0.99)} ms, max ${sorted.at(-1)} ms`)
})
