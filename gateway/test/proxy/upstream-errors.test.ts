import t, { type Test } from 'tap'
import { startGateway as startTestGateway } from '../../../test/support/gateway.js'
import { replyWithUpstreamError } from '../../src/proxy/upstream-errors.js'
import { startUpstream } from '../upstream.js'

async function startGateway(t: Test, waiterUrl: string, upstreamTimeoutMs = 2_000) {
  return (await startTestGateway(t, waiterUrl, { UPSTREAM_TIMEOUT_MS: String(upstreamTimeoutMs) })).gateway
}

/** The error the gateway answers with for this proxy failure. */
function answerTo(error: Error & { statusCode?: number }): Error & { statusCode?: number; code?: string } {
  let sent: unknown
  replyWithUpstreamError({ send: (payload) => (sent = payload) }, { error })
  return sent as Error
}

t.test('a proxy failure becomes 503 when the upstream cannot be reached, 504 when it is too slow, 502 otherwise', async (t) => {
  const refused = Object.assign(new Error('connect'), { cause: { code: 'ECONNREFUSED' } })
  t.match(answerTo(refused), { statusCode: 503, code: 'UPSTREAM_UNAVAILABLE', cause: refused })
  t.match(answerTo(Object.assign(new Error('dns'), { cause: { code: 'ENOTFOUND' } })), { statusCode: 503 })
  t.match(answerTo(Object.assign(new Error('timeout'), { statusCode: 504 })), { statusCode: 504, code: 'UPSTREAM_TIMEOUT' })
  t.match(answerTo(Object.assign(new Error('reset'), { cause: { code: 'ECONNRESET' } })), { statusCode: 502, code: 'BAD_GATEWAY' })
  t.match(answerTo(new Error('no cause')), { statusCode: 502 })
})

t.test('an unreachable waiter is a 503 problem, not a hang or a 500', async (t) => {
  const { url } = await startUpstream(t)
  const gateway = await startGateway(t, url.replace(/:\d+$/, ':1'))
  const response = await gateway.inject({ url: '/api/menu' })
  t.equal(response.statusCode, 503)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
})

t.test('a waiter slower than the upstream timeout is a 504 problem', async (t) => {
  const gateway = await startGateway(t, (await startUpstream(t, { delayMs: 1_000 })).url, 200)
  const response = await gateway.inject({ url: '/api/menu' })
  t.equal(response.statusCode, 504)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
})
