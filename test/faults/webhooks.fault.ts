import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import type { Webhook } from '@restaurant/contracts/partners'
import { admin, bearer } from '../support/credentials.js'
import { placeOrders } from '../support/order-client.js'
import { eventsOnceReady, percentile, untilTaken } from '../support/partner-events.js'
import { startStack } from '../support/stack.js'
import { startWebhookReceiver } from '../support/webhook-receiver.js'

const ORDERS = 500 // four events each: placed, accepted, cooking, ready
const FAILING_MS = 60_000

t.setTimeout(480_000)

t.test('2,000 events while the receiver fails for a minute and the delivering waiter is SIGKILLed twice: none lost, duplicates share their webhook-id', async (t) => {
  const stack = await startStack(
    {
      KITCHEN_SPEED_FACTOR: '0.01',
      WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: 'true',
      // Enough attempts to outlast the minute of failures, few enough not to flood the machine with them.
      WEBHOOK_RETRY_DELAYS_MS: '1000,3000,8000,15000,20000,20000,20000,20000',
      WEBHOOK_TIMEOUT_MS: '2000',
      AMQP_SET_ASIDE_MS: '500',
    },
    { waiters: 2 },
  )
  t.teardown(stack.stop)
  const receiver = await startWebhookReceiver(t)
  const created = await fetch(`${stack.gateway.url}/api/webhooks`, {
    method: 'POST',
    headers: { ...bearer(admin), 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url, types: ['order.placed', 'order.status-changed'] }),
  })
  const { subscription, secret } = (await created.json()) as { subscription: Webhook; secret: string }
  receiver.trust([secret])
  receiver.setMode('fail')
  const failingFrom = Date.now()

  // The orders come over the minute the receiver fails; the first waiter (one of two that deliver) is killed twice.
  const placing = placeOrders(() => stack.gateway.url, ORDERS - 100, { concurrency: 4, paceMs: 400, keyPrefix: `hooks-${stack.run.namespace}`, deadlineMs: Date.now() + 120_000 })
  await sleep(20_000)
  await stack.restart('waiter', 'SIGKILL', 0)
  await sleep(20_000)
  await stack.restart('waiter', 'SIGKILL', 0)
  const failed = await placing
  await sleep(Math.max(0, failingFrom + FAILING_MS - Date.now()))
  receiver.setMode('ok')
  const healthyFrom = Date.now()
  const healthy = await placeOrders(() => stack.gateway.url, 100, { concurrency: 4, paceMs: 50, keyPrefix: `hooks-healthy-${stack.run.namespace}`, deadlineMs: Date.now() + 60_000 })

  const orderIds = [...failed, ...healthy].flatMap(({ id }) => (id ? [id] : []))
  const expected = await eventsOnceReady(stack.records.kitchenUrl, orderIds, 60_000)
  const missing = () => [...expected].filter((id) => !receiver.taken().has(id))
  // Missed events are listed by the assertion below rather than by a timeout.
  await untilTaken(receiver, expected, 180_000).catch(() => undefined)

  const attemptsById = new Map<string, number>()
  for (const { id } of receiver.received) attemptsById.set(id, (attemptsById.get(id) ?? 0) + 1)
  const takenTwice = [...receiver.taken()].filter((id) => receiver.received.filter((delivery) => delivery.id === id && delivery.taken).length > 1)
  const healthyIds = new Set(healthy.flatMap(({ id }) => (id ? [id] : [])))
  const firstTaken = receiver.received.filter(({ taken, event }) => taken && event.type !== undefined && 'order' in event.data && healthyIds.has(event.data.order.id) && Date.parse(event.occurredAt) >= healthyFrom)
  const latencies = firstTaken.map(({ at, event }) => at - Date.parse(event.occurredAt))
  t.comment(
    `${expected.size} events expected from ${orderIds.length} tickets; ${receiver.received.length} deliveries received (${receiver.received.filter(({ taken }) => !taken).length} answered 500), ` +
      `${takenTwice.length} events taken twice (same webhook-id); most attempts for one event: ${Math.max(...attemptsById.values())}; ` +
      `while healthy, delivery after the event p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms (${latencies.length} deliveries)`,
  )
  t.ok(expected.size >= 1_900, `about 2,000 events (${expected.size})`)
  t.same(missing(), [], 'no event lost')
  t.same(receiver.unverified, [], 'every delivery verified with standardwebhooks')
  t.ok(receiver.received.every(({ id, event }) => id === event.id), 'every copy of an event carries its id')
  const state = (await (await fetch(`${stack.gateway.url}/api/webhooks/${subscription.id}`, { headers: bearer(admin) })).json()) as Webhook
  t.equal(state.state, 'active', 'a minute of failures does not pause it')
  t.notOk(state.failingSince, 'and it is healthy again')
})
