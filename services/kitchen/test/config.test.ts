import t from 'tap'
import { kitchenConfigSchema, loadKitchenConfig } from '../src/config.js'

t.test('without settings the kitchen listens on 3002 with the embedded store in ./data, at menu speed, on a 10 s lease', async (t) => {
  const config = loadKitchenConfig({ NODE_ENV: 'test' })
  t.match(config, { PORT: 3002, DATA_DIR: './data', MONGO_DB: 'restaurant', KITCHEN_SPEED_FACTOR: 1, KITCHEN_LEASE_MS: 10_000 })
  t.equal(config.MONGO_URL, undefined)
})

t.test('a lease too short to renew in time is refused', async (t) => {
  t.throws(() => loadKitchenConfig({ NODE_ENV: 'test', KITCHEN_LEASE_MS: '100' }), /KITCHEN_LEASE_MS/)
  t.equal(loadKitchenConfig({ NODE_ENV: 'test', KITCHEN_LEASE_MS: '300', MONGO_URL: 'mongodb://db' }).MONGO_URL, 'mongodb://db')
})

t.test('the kitchen reads no Redis setting: its menu and sold-out marks are in its own store', async (t) => {
  t.same(Object.keys(kitchenConfigSchema).filter((name) => name.startsWith('REDIS_')), [])
})
