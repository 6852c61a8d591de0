import t from 'tap'
import type { OrderStatus } from '@restaurant/contracts/order-status'
import { buildOrder } from '@restaurant/contracts/testing'
import type { OrderEvent } from '../../src/adapters/order-event-hub.js'
import { createEventSequence } from '../../src/http/event-sequence.js'

const order = buildOrder()
const event = (id: string, status: OrderStatus, orderId = order.id): OrderEvent => ({ id, orderId, status, at: order.placedAt, correlationId: 'req-1', order })

t.test('an event becomes an SSE message: its id, its status as the event name, the rest as data', async (t) => {
  const next = createEventSequence(undefined)
  t.same(next(event('1-0', 'placed')), { id: '1-0', event: 'placed', data: { status: 'placed', orderId: order.id, at: order.placedAt, correlationId: 'req-1', order } })
})

t.test('nothing at or before the last id is sent again', async (t) => {
  const next = createEventSequence('5-1')
  t.equal(next(event('5-1', 'placed')), undefined)
  t.equal(next(event('4-9', 'placed')), undefined)
  t.ok(next(event('5-2', 'placed')))
  t.equal(next(event('5-2', 'accepted')), undefined, 'the id moved on with what was sent')
})

t.test("an order's status is never repeated nor sent backwards, even under a later id", async (t) => {
  const next = createEventSequence(undefined)
  t.ok(next(event('1-0', 'accepted')))
  t.equal(next(event('2-0', 'placed')), undefined, 'a view announced again after Redis lost it')
  t.equal(next(event('3-0', 'accepted')), undefined)
  t.ok(next(event('4-0', 'cooking')))
  t.ok(next(event('5-0', 'placed', 'another-order')), 'each order has its own statuses')
})
