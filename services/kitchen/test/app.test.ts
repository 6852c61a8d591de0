import t from 'tap'
import { kitchenPaths } from '@restaurant/contracts/kitchen-api'
import { asWaiter, buildApp } from './support/kitchen-app.js'

t.test('the app serves no probes and no metrics: they are on the internal port', async (t) => {
  const { app } = await buildApp(t)
  for (const url of ['/health', '/ready', '/metrics']) t.match((await app.inject({ url })).json(), { status: 404, code: 'not-found' }, url)
})

t.test('the internal API answers only calls that carry the identity the waiter signs', async (t) => {
  const { app } = await buildApp(t)
  t.equal((await app.inject({ url: kitchenPaths.tickets })).statusCode, 401)
  t.equal((await app.inject(asWaiter({ url: kitchenPaths.tickets }))).statusCode, 200)
})
