import t from 'tap'
import { commonConfig, DEVELOPMENT_SECRETS, identityConfig, loadConfig } from '../../src/runtime/config.js'

const schema = { ...commonConfig, ...identityConfig }

t.test('development secrets are the defaults outside production', async (t) => {
  t.equal(loadConfig(schema, {}).IDENTITY_SECRET, DEVELOPMENT_SECRETS.IDENTITY_SECRET)
})

t.test('a production start refuses a development secret, naming the variable', async (t) => {
  t.throws(() => loadConfig(schema, { NODE_ENV: 'production' }), /env\/IDENTITY_SECRET must be set to a secret of your own/)
  t.equal(loadConfig(schema, { NODE_ENV: 'production', IDENTITY_SECRET: 'x'.repeat(40) }).IDENTITY_SECRET, 'x'.repeat(40))
})

t.test('a secret shorter than 32 characters is refused', async (t) => {
  t.throws(() => loadConfig(schema, { IDENTITY_SECRET: 'short' }), /IDENTITY_SECRET/)
})
