import t from 'tap'
import { newOrderId, orderIdFor } from '../../src/domain/order-ids.js'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

t.test('the same client and key always give the same id', async (t) => {
  t.equal(orderIdFor('secret-secret-secret', 'client', 'key-1'), orderIdFor('secret-secret-secret', 'client', 'key-1'))
})

t.test('another key, client or secret gives another id', async (t) => {
  const id = orderIdFor('secret-secret-secret', 'client', 'key-1')
  t.not(orderIdFor('secret-secret-secret', 'client', 'key-2'), id)
  t.not(orderIdFor('secret-secret-secret', 'other', 'key-1'), id)
  t.not(orderIdFor('another-secret-value', 'client', 'key-1'), id)
})

t.test('derived ids are version-8 UUIDs and fresh ids are version-7 UUIDs', async (t) => {
  t.match(orderIdFor('secret-secret-secret', 'client', 'key-1'), uuid)
  t.match(orderIdFor('secret-secret-secret', 'client', 'key-1').charAt(14), '8')
  const fresh = newOrderId()
  t.match(fresh, uuid)
  t.equal(fresh.charAt(14), '7')
  t.not(newOrderId(), fresh)
})
