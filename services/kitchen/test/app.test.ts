import t from 'tap'
import { kitchenPaths } from '@restaurant/contracts/kitchen-api'
import { asStaff, buildApp } from './support/kitchen-app.js'

t.test('the kitchen reports itself ready while its store answers', async (t) => {
  const { app } = await buildApp(t)
  t.equal((await app.inject({ url: '/health' })).statusCode, 200)
  t.equal((await app.inject({ url: '/ready' })).statusCode, 200)
})

t.test('the internal API answers only calls that carry the identity the waiter signs', async (t) => {
  const { app } = await buildApp(t)
  t.equal((await app.inject({ url: kitchenPaths.tickets })).statusCode, 401)
  t.equal((await app.inject({ url: kitchenPaths.tickets, headers: asStaff })).statusCode, 200)
})
