import t from 'tap'
import { loadWaiterConfig } from '../src/config.js'

t.test('the waiter runs on its defaults', async (t) => {
  t.match(loadWaiterConfig({ NODE_ENV: 'test' }), { PORT: 3001, KITCHEN_URL: 'http://127.0.0.1:3002', MAX_UNITS_PER_ORDER: 40, IDEMPOTENCY_TTL_SECONDS: 86_400, VIEW_REFRESH_AFTER_MS: 5_000 })
})

t.test('settings are read from the environment given, typed', async (t) => {
  t.match(loadWaiterConfig({ NODE_ENV: 'test', PORT: '4000', MAX_UNITS_PER_ORDER: '10', KITCHEN_URL: 'http://kitchen:3002' }), { PORT: 4000, MAX_UNITS_PER_ORDER: 10, KITCHEN_URL: 'http://kitchen:3002' })
})

t.test('a setting out of its range is refused', async (t) => {
  t.throws(() => loadWaiterConfig({ NODE_ENV: 'test', ORDER_ID_SECRET: 'too-short' }), /ORDER_ID_SECRET/)
  t.throws(() => loadWaiterConfig({ NODE_ENV: 'test', VIEW_REFRESH_AFTER_MS: '10' }), /VIEW_REFRESH_AFTER_MS/)
  t.throws(() => loadWaiterConfig({ NODE_ENV: 'test', PORT: '70000' }), /PORT/)
})

t.test('the development secrets are refused in production', async (t) => {
  t.throws(() => loadWaiterConfig({ NODE_ENV: 'production' }), /ORDER_ID_SECRET|_SIGNING_KEY|_PUBLIC_KEYS/)
})
