import t from 'tap'
import type { Order } from '@restaurant/contracts/orders'
import { buildOrder, withStatus } from '@restaurant/contracts/testing'
import { storedOrder, ticketOf } from '../../src/domain/ticket.js'

t.test('an order stored before orders carried a version is read with the version its history implies', async (t) => {
  const { version: _version, ...unversioned } = withStatus(buildOrder(), 'accepted')
  t.equal(storedOrder(unversioned as Order).version, 2)
  const versioned = withStatus(buildOrder(), 'accepted')
  t.equal(storedOrder(versioned), versioned, 'a versioned order is read as it is')
})

t.test('a ticket is read with its fingerprint only when it has one', async (t) => {
  const order = buildOrder()
  t.strictSame(ticketOf({ order, fingerprint: 'fp' }), { order, fingerprint: 'fp' })
  t.strictSame(ticketOf({ order, fingerprint: undefined }), { order })
})
