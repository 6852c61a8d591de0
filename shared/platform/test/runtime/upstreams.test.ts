import t from 'tap'
import { loadConfig } from '../../src/runtime/config.js'
import { upstreamListSetting, upstreamUrls } from '../../src/runtime/upstreams.js'

const schema = { KITCHEN_URL: upstreamListSetting('http://127.0.0.1:3002') }

t.test('one URL is a list of one, as its origin', async (t) => {
  t.same(upstreamUrls('http://127.0.0.1:3002/'), ['http://127.0.0.1:3002'])
})

t.test('several replicas are listed in their order, spaces and empty entries ignored', async (t) => {
  t.same(upstreamUrls(' http://a:3002 , http://b:3012,,https://c '), ['http://a:3002', 'http://b:3012', 'https://c'])
})

t.test('a list that names no URL is refused', async (t) => {
  t.throws(() => upstreamUrls(' , '), /names no URL/)
})

t.test('the setting defaults to its one URL and takes a list', async (t) => {
  t.equal(loadConfig(schema, {}).KITCHEN_URL, 'http://127.0.0.1:3002')
  t.equal(loadConfig(schema, { KITCHEN_URL: 'http://a:3002, http://b:3012' }).KITCHEN_URL, 'http://a:3002, http://b:3012')
})

t.test('a setting that is not a list of http URLs is refused when the configuration is read, naming it', async (t) => {
  for (const value of ['', 'kitchen:3002', 'http://a:3002;http://b:3012', 'http://a:3002,', 'http://a:3002,ftp://b'])
    t.throws(() => loadConfig(schema, { KITCHEN_URL: value }), /env\/KITCHEN_URL/, JSON.stringify(value))
})
