import { getDefaultAutoSelectFamily, setDefaultAutoSelectFamily } from 'node:net'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { createSafeAgent, type ResolveAddresses } from '../../src/adapters/safe-dialer.js'
import { fakeDns } from './fake-dns.js'
import { localReceiver } from './local-receiver.js'

function agentFor(t: Test, allowPrivate: boolean, lookup: ResolveAddresses) {
  const agent = createSafeAgent({ allowPrivate, connectTimeoutMs: 2_000, lookup })
  t.teardown(() => agent.close())
  return agent
}

t.test('a literal private address is refused before it is dialled', async (t) => {
  const receiver = await localReceiver(t)
  const dispatcher = agentFor(t, false, fakeDns(['93.184.216.34']))
  await t.rejects(request(receiver.url, { dispatcher }), { code: 'DESTINATION_REFUSED', message: 'refused to dial: 127.0.0.1 is not a public address (loopback)' })
  t.equal(receiver.connections(), 0)
})

t.test('a name is refused when the address it resolves to for this connection is private', async (t) => {
  const receiver = await localReceiver(t)
  const dispatcher = agentFor(t, false, fakeDns(['127.0.0.1']))
  await t.rejects(request(`http://receiver.test:${receiver.port}/`, { dispatcher }), {
    code: 'DESTINATION_REFUSED',
    message: 'refused to dial: receiver.test resolves to 127.0.0.1, which is not public (loopback)',
  })
  t.equal(receiver.connections(), 0)
})

t.test('where private destinations are allowed, a name is dialled at the address the given resolver answers', async (t) => {
  const receiver = await localReceiver(t)
  const lookup = fakeDns(['127.0.0.1'])
  const response = await request(`http://receiver.test:${receiver.port}/`, { dispatcher: agentFor(t, true, lookup) })
  await response.body.dump()
  t.equal(response.statusCode, 204)
  t.equal(receiver.requests[0]?.headers.host, `receiver.test:${receiver.port}`)
  t.equal(lookup.calls(), 1)
})

t.test('a name is judged the same when sockets ask for one address instead of racing them all', async (t) => {
  const racing = getDefaultAutoSelectFamily()
  setDefaultAutoSelectFamily(false)
  t.teardown(() => setDefaultAutoSelectFamily(racing))
  const receiver = await localReceiver(t)
  await t.rejects(request(`http://receiver.test:${receiver.port}/`, { dispatcher: agentFor(t, false, fakeDns(['127.0.0.1'])) }), { code: 'DESTINATION_REFUSED' })
  const response = await request(`http://receiver.test:${receiver.port}/`, { dispatcher: agentFor(t, true, fakeDns(['127.0.0.1'])) })
  await response.body.dump()
  t.equal(response.statusCode, 204)
  t.equal(receiver.connections(), 1)
})

t.test('a name that does not resolve, or resolves to nothing, fails as not found', async (t) => {
  await t.rejects(request('http://gone.example/', { dispatcher: agentFor(t, false, fakeDns()) }), { code: 'ENOTFOUND' })
  await t.rejects(request('http://empty.example/', { dispatcher: agentFor(t, false, fakeDns([])) }), { code: 'ENOTFOUND' })
})
