import t from 'tap'
import { Type } from 'typebox'
import { newKeyPair } from '../../src/auth/service-keys.js'
import { commonConfig, DEVELOPMENT_SECRETS, gatewaySigningConfig, isProduction, loadConfig, rabbitConfig, waiterSigningConfig, waiterTrustConfig } from '../../src/runtime/config.js'

const schema = { ...commonConfig, ...waiterSigningConfig, ...waiterTrustConfig }
/** A setting whose default is a development secret. */
const withDevelopmentDefault = { ...commonConfig, JWT_SECRET: Type.String({ minLength: 32, default: DEVELOPMENT_SECRETS.JWT_SECRET }) }

t.test('development secrets are the defaults under an explicit development or test mode', async (t) => {
  for (const NODE_ENV of ['development', 'test']) t.equal(loadConfig(withDevelopmentDefault, { NODE_ENV }).JWT_SECRET, DEVELOPMENT_SECRETS.JWT_SECRET, NODE_ENV)
})

t.test('production is any mode but an explicit development or test, an unset one included', async (t) => {
  for (const NODE_ENV of [undefined, '', 'production', 'staging', 'prod', 'Development', ' test']) t.ok(isProduction({ NODE_ENV }), `${JSON.stringify(NODE_ENV)} is production`)
  for (const NODE_ENV of ['development', 'test']) t.notOk(isProduction({ NODE_ENV }), `${NODE_ENV} is not production`)
})

t.test('a start without NODE_ENV is a production start: it refuses the development secrets', async (t) => {
  t.equal(loadConfig(withDevelopmentDefault, { JWT_SECRET: 'x'.repeat(40) }).NODE_ENV, 'production')
  t.throws(() => loadConfig(withDevelopmentDefault, {}), /env\/JWT_SECRET must be set to a secret of your own/)
  t.throws(() => loadConfig(withDevelopmentDefault, { NODE_ENV: 'staging' }), /env\/JWT_SECRET must be set to a secret of your own/)
})

t.test('a production start refuses a development key, private or public, naming the variable', async (t) => {
  const own = newKeyPair()
  t.throws(() => loadConfig(schema, { NODE_ENV: 'production', WAITER_PUBLIC_KEYS: own.publicKey }), /env\/WAITER_SIGNING_KEY must be set to a secret of your own/)
  t.throws(() => loadConfig(schema, { NODE_ENV: 'production', WAITER_SIGNING_KEY: own.signingKey }), /env\/WAITER_PUBLIC_KEYS must be set/, 'trusting the published development key is as bad as signing with it')
  t.equal(loadConfig(schema, { NODE_ENV: 'production', WAITER_SIGNING_KEY: own.signingKey, WAITER_PUBLIC_KEYS: own.publicKey }).WAITER_SIGNING_KEY, own.signingKey)
})

t.test('a key setting that is not base64url is refused, naming it', async (t) => {
  t.throws(() => loadConfig(schema, { NODE_ENV: 'test', WAITER_PUBLIC_KEYS: 'a key, b key' }), /WAITER_PUBLIC_KEYS/)
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
  const twoSecrets = { JWT_SECRET: Type.String({ minLength: 32 }), ORDER_ID_SECRET: Type.String({ minLength: 16 }) }
  const same = 'a-secret-long-enough-for-both-purposes'
  t.throws(() => loadConfig(twoSecrets, { NODE_ENV: 'test', JWT_SECRET: same, ORDER_ID_SECRET: same }), /env\/ORDER_ID_SECRET must differ from env\/JWT_SECRET/)
  t.ok(loadConfig(twoSecrets, { NODE_ENV: 'test', JWT_SECRET: same, ORDER_ID_SECRET: 'another-secret-entirely' }))
  const keys = { ...gatewaySigningConfig, ...waiterSigningConfig }
  const key = newKeyPair().signingKey
  t.throws(() => loadConfig(keys, { NODE_ENV: 'test', GATEWAY_SIGNING_KEY: key, WAITER_SIGNING_KEY: key }), /env\/WAITER_SIGNING_KEY must differ from env\/GATEWAY_SIGNING_KEY/, 'each caller its own key')
})
