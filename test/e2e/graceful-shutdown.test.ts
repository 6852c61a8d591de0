import { performance } from 'node:perf_hooks'
import t from 'tap'
import { topologyFor } from '@restaurant/contracts/messages'
import type { Order } from '@restaurant/contracts/orders'
import { eventually, queueDepth } from '../support/isolation.js'
import { loadCustomer } from '../support/order-client.js'
import { startStack } from '../support/stack.js'

t.test('SIGTERM on a cooking kitchen finishes the order in hand before it exits; nothing is lost', async (t) => {
  // Speed factor 0.25: a grilled chicken takes 2.5 s, long enough to stop the kitchen mid-cooking.
  const stack = await startStack({ KITCHEN_SPEED_FACTOR: '0.25' })
  t.teardown(stack.stop)
  const placed = await fetch(`${stack.gateway.url}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...loadCustomer },
    body: JSON.stringify({ items: [{ menuItemId: 'grilled-chicken', quantity: 1 }] }),
  })
  const { id } = (await placed.json()) as Order
  const read = async () => (await (await fetch(`${stack.gateway.url}/api/orders/${id}`, { headers: loadCustomer })).json()) as Order
  await eventually(async () => ((await read()).status === 'cooking' ? true : undefined), 10_000, 'cooking')

  const stopping = performance.now()
  const code = await stack.kitchen.stop('SIGTERM')
  const took = performance.now() - stopping
  t.comment(`kitchen stopped in ${Math.round(took)} ms with the order in hand`)
  t.equal(code, 0, 'a clean exit')
  t.ok(took < 10_000, 'within the 10 s shutdown budget')
  t.match(stack.kitchen.output(), /shutting down/)
  const ready = await eventually(async () => {
    const order = await read()
    return order.status === 'ready' ? order : undefined
  }, 5_000, 'ready after the kitchen stopped')
  t.equal(ready.history.at(-1)?.status, 'ready', 'cooked before the exit, not after a restart')

  // Had the kitchen left without acking, the order would be back on its queue for a second cooking.
  t.equal(await queueDepth(topologyFor(stack.run.namespace).queues.kitchenOrders.queue), 0, 'acked, not requeued')
})
