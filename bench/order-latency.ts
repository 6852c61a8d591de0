/**
 * Time from POST /api/orders to the order reading `ready`, through the gateway, with the three services
 * running as processes at KITCHEN_SPEED_FACTOR=0. Orders are placed one after another; each is polled
 * every millisecond until ready. Run with `pnpm bench` (RabbitMQ and Redis must be up).
 */
import { performance } from 'node:perf_hooks'
import { loadCustomer } from '../test/support/order-client.js'
import { startStack } from '../test/support/stack.js'

const ORDERS = Number(process.env.BENCH_ORDERS ?? 200)

const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0', LOG_LEVEL: 'warn' })
try {
  const timings: number[] = []
  for (let i = 0; i < ORDERS; i++) timings.push(await placeAndWait())
  timings.sort((a, b) => a - b)
  const at = (q: number) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))]?.toFixed(1)
  console.log(`orders: ${ORDERS}, POST → ready (ms): min ${at(0)}, median ${at(0.5)}, p95 ${at(0.95)}, p99 ${at(0.99)}, max ${at(1)}`)
} finally {
  await stack.stop()
}

async function placeAndWait(): Promise<number> {
  const started = performance.now()
  const response = await fetch(`${stack.gateway.url}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...loadCustomer },
    body: JSON.stringify({ items: [{ menuItemId: 'fries', quantity: 1 }, { menuItemId: 'lemonade', quantity: 2 }] }),
  })
  if (response.status !== 202) throw new Error(`POST answered ${response.status}`)
  const { id } = (await response.json()) as { id: string }
  for (;;) {
    const order = (await (await fetch(`${stack.gateway.url}/api/orders/${id}`, { headers: loadCustomer })).json()) as { status: string }
    if (order.status === 'ready') return performance.now() - started
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
}
