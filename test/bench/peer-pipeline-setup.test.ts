import t from 'tap'
import { isOrderBody, peerQueues } from '../../bench/servers/peer-pipeline/peer-setup.js'

t.test('an order of menu items with positive whole quantities passes the peer\'s check', async (t) => {
  t.ok(isOrderBody({ items: [{ menuItemId: 'fries', quantity: 1 }, { menuItemId: 'lemonade', quantity: 2 }] }))
})

t.test('a body without items, with none, or with a line lacking an id or a positive whole quantity is refused', async (t) => {
  for (const body of [undefined, null, {}, { items: [] }, { items: 'fries' }, { items: [{ quantity: 1 }] }, { items: [{ menuItemId: 'fries', quantity: 0 }] }, { items: [{ menuItemId: 'fries', quantity: 1.5 }] }, { items: [null] }]) {
    t.notOk(isOrderBody(body), JSON.stringify(body))
  }
})

t.test("a run's queues carry its prefix, so runs never share them", async (t) => {
  t.same(peerQueues('bench-peer-1'), { orders: 'bench-peer-1.orders', statuses: 'bench-peer-1.order-status' })
})
