import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { startOrderLoad } from '../../bench/order-load.js'

/** A stand-in gateway that notes every request and refuses every tenth with a 429. */
async function recordingGateway() {
  const seen: { method?: string; url?: string; headers: IncomingHttpHeaders }[] = []
  const server = createServer((request, response) => {
    seen.push({ method: request.method, url: request.url, headers: request.headers })
    request.resume()
    response.statusCode = seen.length % 10 === 0 ? 429 : 202
    response.end('{}')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() }
}

t.test('the load generator, a process of its own, places orders on schedule with a fresh key and the customer\'s token each', async (t) => {
  const gateway = await recordingGateway()
  t.teardown(gateway.close)
  const load = startOrderLoad({ gatewayUrl: gateway.url, ratePerSecond: 200, warmUpSeconds: 0.1, seconds: 0.5 })
  t.teardown(load.stop)
  t.not(load.pid, process.pid)
  t.match(await load.warmedUp, { sent: 20 })
  const outcome = await load.measure()
  t.match(outcome, { sent: 100, accepted: 90, otherStatuses: { 429: 10 }, unanswered: 0 }, 'the 429s are counted apart from the 202s')
  t.equal(gateway.seen.length, 120)
  t.ok(gateway.seen.every(({ method, url }) => method === 'POST' && url === '/api/orders'))
  t.ok(gateway.seen.every(({ headers }) => /^Bearer \S+$/.test(headers.authorization ?? '')), 'each carries a bearer token')
  t.equal(new Set(gateway.seen.map(({ headers }) => headers['idempotency-key'])).size, 120, 'no Idempotency-Key is sent twice')
})
