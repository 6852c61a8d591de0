import t from 'tap'
import { newKeyPair } from '@restaurant/platform/auth/service-keys'
import { listOf, loadGatewayConfig } from '../src/config.js'

t.test('a comma-separated setting is a list of its trimmed, non-empty entries', async (t) => {
  t.same(listOf(' http://a.example, http://b.example ,,'), ['http://a.example', 'http://b.example'])
  t.same(listOf(''), [])
})

t.test('the settings come from the environment, typed, with defaults for what is not set', async (t) => {
  const config = loadGatewayConfig({ NODE_ENV: 'development', PORT: '8080', DEV_SIGN_IN: 'true', ORDER_QUOTA: '5' })
  t.match(config, { PORT: 8080, DEV_SIGN_IN: true, ORDER_QUOTA: 5, WAITER_URL: 'http://127.0.0.1:3001', JWT_ISSUER: 'restaurant' })
})

t.test('a setting out of its range is refused', async (t) => {
  t.throws(() => loadGatewayConfig({ NODE_ENV: 'test', JWT_SECRET: 'too short' }), /JWT_SECRET/)
  t.throws(() => loadGatewayConfig({ NODE_ENV: 'test', RATE_LIMIT_WINDOW_MS: '10' }), /RATE_LIMIT_WINDOW_MS/)
})

t.test('the development sign-in cannot be switched on in production', async (t) => {
  const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-jwt-secret-of-32-chars!', GATEWAY_SIGNING_KEY: newKeyPair().signingKey }
  t.throws(() => loadGatewayConfig({ ...production, DEV_SIGN_IN: 'true' }), /DEV_SIGN_IN must be false in production/)
  t.equal(loadGatewayConfig(production).DEV_SIGN_IN, false)
})
