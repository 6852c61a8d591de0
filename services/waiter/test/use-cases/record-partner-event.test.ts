import t from 'tap'
import { menuEventId, orderEventId, type PartnerEvent } from '@restaurant/contracts/partners'
import { buildMenuItem, buildOrder, withStatus } from '@restaurant/contracts/testing'
import { createRecordPartnerEvent } from '../../src/use-cases/record-partner-event.js'
import type { WebhookSubscription } from '../../src/use-cases/partner-store.js'
import { buildSubscription, memoryPartnerStore, recordingPublish } from './memory-partner-store.js'

const now = new Date('2026-03-01T12:00:00.000Z')
const order = buildOrder({ customer: 'Ada Lovelace', table: '12', owner: 'alice', lines: [{ ...buildOrder().lines[0]!, notes: 'no onions' }] })

const plain = buildSubscription({ id: 'wh_plain', types: ['order.placed', 'order.status-changed'] })
const detailed = buildSubscription({ id: 'wh_detailed', types: ['order.placed'], scopes: ['customer-details'] })
const menuOnly = buildSubscription({ id: 'wh_menu', types: ['menu.changed'] })
const paused = buildSubscription({ id: 'wh_paused', types: ['order.placed'], state: 'paused', pausedReason: 'paused by ada' })

/** The order an event tells of, and which of the fields partners may not all see it carries. */
function shownOf(event: PartnerEvent | undefined) {
  const shown = event && 'order' in event.data ? event.data.order : undefined
  const fields = ['owner', 'customer', 'table'].filter((field) => shown && field in shown)
  return { shown, fields: shown?.lines.some((line) => 'notes' in line) ? [...fields, 'notes'] : fields }
}

async function recorder(...subscriptions: WebhookSubscription[]) {
  const { store, feed } = memoryPartnerStore()
  for (const subscription of subscriptions) await store.subscriptions.create(subscription)
  const { publish, published } = recordingPublish()
  const record = createRecordPartnerEvent({ store, publish, now: () => now })
  const deliveries = () => published.map(({ message }) => message)
  return { feed, published, deliveries, record: (message: Parameters<typeof record>[0]) => record(message, { correlationId: 'corr-1' }) }
}

t.test('a placed order joins the feed once, as its event, without who placed it or the customer', async (t) => {
  const { feed, record } = await recorder()
  await record({ order })
  await record({ order })
  t.equal(feed.length, 1)
  t.match(feed[0], { id: orderEventId(order.id, 1), type: 'order.placed', sequence: 1, data: { order: { id: order.id } } })
  t.same(shownOf(feed[0]).fields, [])
})

t.test('a delivery is published to every subscription wanting the type, paused ones included (they keep it), as a first attempt', async (t) => {
  const { published, record } = await recorder(plain, detailed, menuOnly, paused)
  await record({ order })
  t.same(published.map(({ routingKey, message, correlationId }) => [routingKey, message.subscriptionId, message.attempt, message.event.id, correlationId]).sort(), [
    ['webhook.delivery', 'wh_detailed', 1, orderEventId(order.id, 1), 'corr-1'],
    ['webhook.delivery', 'wh_paused', 1, orderEventId(order.id, 1), 'corr-1'],
    ['webhook.delivery', 'wh_plain', 1, orderEventId(order.id, 1), 'corr-1'],
  ])
  t.notOk(published.some(({ message }) => message.notBefore))
})

t.test("only a subscription scoped to the customer's details is sent the customer, table and notes", async (t) => {
  const { deliveries, record } = await recorder(plain, detailed)
  await record({ order })
  const sent = (id: string) => shownOf(deliveries().find(({ subscriptionId }) => subscriptionId === id)?.event)
  t.match(sent('wh_detailed').shown, { id: order.id, customer: 'Ada Lovelace', table: '12', lines: [{ notes: 'no onions' }] })
  t.same(sent('wh_detailed').fields, ['customer', 'table', 'notes'])
  t.match(sent('wh_plain').shown, { id: order.id })
  t.same(sent('wh_plain').fields, [])
})

t.test('a status change is told as order.status-changed, under the id of its version', async (t) => {
  const { feed, deliveries, record } = await recorder(plain, detailed)
  const cooking = withStatus(order, 'accepted')
  await record({ order: cooking })
  t.match(feed, [{ id: orderEventId(order.id, 2), type: 'order.status-changed', data: { order: { status: 'accepted' } } }])
  t.same(deliveries().map(({ subscriptionId, event }) => [subscriptionId, event.type]), [['wh_plain', 'order.status-changed']])
})

t.test('a menu change is told as menu.changed, to the subscriptions wanting it', async (t) => {
  const { feed, deliveries, record } = await recorder(plain, menuOnly)
  const item = buildMenuItem({ id: 'fries', version: 3, available: false })
  await record({ version: 40, item })
  t.match(feed, [{ id: menuEventId(item), type: 'menu.changed', occurredAt: item.changedAt, data: { item } }])
  t.same(deliveries().map(({ subscriptionId, event }) => [subscriptionId, event.id]), [['wh_menu', menuEventId(item)]])
})

t.test('the same message again is published again under the same event id, so that a crash before its ack loses nothing', async (t) => {
  const { feed, deliveries, record } = await recorder(plain)
  await record({ order })
  await record({ order })
  t.equal(feed.length, 1)
  t.same(deliveries().map(({ event }) => event.id), [orderEventId(order.id, 1), orderEventId(order.id, 1)])
})
