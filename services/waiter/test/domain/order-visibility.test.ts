import t from 'tap'
import type { Identity } from '@restaurant/contracts/identity'
import { buildOrder } from '@restaurant/contracts/testing'
import { listedOwner, maySee } from '../../src/domain/order-visibility.js'

const alice: Identity = { subject: 'alice', roles: ['customer'] }
const bob: Identity = { subject: 'bob', roles: ['customer'] }
const staff: Identity = { subject: 'sam', roles: ['staff'] }

t.test('a customer sees the orders they placed, and no one else’s', async (t) => {
  const order = buildOrder({ owner: 'alice' })
  t.equal(maySee(alice, order), true)
  t.equal(maySee(bob, order), false)
  t.equal(maySee(alice, buildOrder()), false, 'an order without an owner is nobody’s')
})

t.test('staff see every order', async (t) => {
  t.equal(maySee(staff, buildOrder({ owner: 'alice' })), true)
  t.equal(maySee(staff, buildOrder()), true)
})

t.test("a customer's list is narrowed to their own orders, staff's to none", async (t) => {
  t.same(listedOwner(alice), { owner: 'alice' })
  t.same(listedOwner(staff), {})
})
