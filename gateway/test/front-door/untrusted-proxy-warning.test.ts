import t, { type Test } from 'tap'
import { createLogger } from '@restaurant/platform/runtime/logger'
import { startGateway } from '../../../test/support/gateway.js'
import { startUpstream } from '../upstream.js'

const WARNING = /TRUST_PROXY is empty/

async function gatewayLogging(t: Test, env: Record<string, string> = {}) {
  const lines: string[] = []
  const log = createLogger({ name: 'test-gateway', level: 'warn', pretty: false, destination: { write: (line: string) => void lines.push(line) } })
  const { url } = await startUpstream(t)
  const { gateway } = await startGateway(t, url, env, { log })
  return { gateway, warnings: () => lines.filter((line) => WARNING.test(line)) }
}

t.test('requests from a private address without TRUST_PROXY: the gateway says once that every client shares one budget', async (t) => {
  const { gateway, warnings } = await gatewayLogging(t)
  await gateway.inject({ url: '/api/menu', remoteAddress: '127.0.0.1' })
  t.same(warnings(), [], 'loopback is a developer machine: nothing said')
  for (const remoteAddress of ['10.0.3.7', '10.0.3.8', 'fd00::1']) await gateway.inject({ url: '/api/menu', remoteAddress })
  t.equal(warnings().length, 1, 'said once')
  t.match(warnings()[0], /"address":"10\.0\.3\.7"/)
})

t.test('with TRUST_PROXY set, nothing is said', async (t) => {
  const { gateway, warnings } = await gatewayLogging(t, { TRUST_PROXY: '10.0.0.0/8' })
  await gateway.inject({ url: '/api/menu', remoteAddress: '10.0.3.7' })
  t.same(warnings(), [])
})
