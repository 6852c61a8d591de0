import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import t from 'tap'
import { cpuSecondsByName, listenerOf } from '../../bench/cpu-meter.js'

t.test('the process behind a URL is the one listening on its port', async (t) => {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => server.close())
  const { port } = server.address() as AddressInfo
  t.same(listenerOf('here', `http://127.0.0.1:${port}`), { name: 'here', pid: process.pid })
})

t.test('a port nobody listens on is an error, not a process to watch', async (t) => {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  t.throws(() => listenerOf('gone', `redis://127.0.0.1:${port}`), /no process of this machine listens/)
})

t.test('processes of the same name add up', async (t) => {
  const alone = cpuSecondsByName([{ name: 'me', pid: process.pid }]).me ?? Number.NaN
  const twice = cpuSecondsByName([{ name: 'me', pid: process.pid }, { name: 'me', pid: process.pid }]).me ?? Number.NaN
  t.ok(twice >= 2 * alone, `${twice} counts this process twice (${alone} once)`)
})
