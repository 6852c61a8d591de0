import t from 'tap'
import { Type } from 'typebox'
import { commonConfig, DEVELOPMENT_SECRETS, identityConfig, loadConfig, rabbitConfig } from '../../src/runtime/config.js'

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

t.test('AMQP_URL takes one broker, or the members of a cluster separated by commas', async (t) => {
  t.equal(loadConfig(rabbitConfig, {}).AMQP_URL, 'amqp://guest:guest@127.0.0.1:5672')
  const members = 'amqp://guest:guest@127.0.0.1:5681,amqps://user:pw@rabbit-2:5671/vhost,amqp://rabbit-3'
  t.equal(loadConfig(rabbitConfig, { AMQP_URL: members }).AMQP_URL, members)
})

t.test('an AMQP_URL list with an empty member, a space or another scheme is refused, naming the variable', async (t) => {
  for (const AMQP_URL of ['amqp://a:5672,', ',amqp://a:5672', 'amqp://a:5672,,amqp://b:5672', 'amqp://a:5672, amqp://b:5672', 'http://a:5672', 'amqp://a:5672,redis://b']) {
    t.throws(() => loadConfig(rabbitConfig, { AMQP_URL }), /env\/AMQP_URL/, AMQP_URL)
  }
})

t.test('one secret may not serve two purposes', async (t) => {
  const twoSecrets = { IDENTITY_SECRET: Type.String({ minLength: 32 }), ORDER_ID_SECRET: Type.String({ minLength: 16 }) }
  const same = 'a-secret-long-enough-for-both-purposes'
  t.throws(() => loadConfig(twoSecrets, { IDENTITY_SECRET: same, ORDER_ID_SECRET: same }), /env\/ORDER_ID_SECRET must differ from env\/IDENTITY_SECRET/)
  t.ok(loadConfig(twoSecrets, { IDENTITY_SECRET: same, ORDER_ID_SECRET: 'another-secret-entirely' }))
})
