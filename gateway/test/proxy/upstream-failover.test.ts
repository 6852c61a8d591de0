import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { asCustomer } from '../../../test/support/credentials.js'
import { startGateway } from '../../../test/support/gateway.js'
import { failoverAcross } from '../../src/proxy/upstream-failover.js'
import { sheddingUpstream } from '../upstream.js'

interface Answer {
  replica: string
  body: string
}

/** A waiter stand-in on port 0 answering with its name and the body it read; `kill` drops it and its connections at once. */
async function waiterReplica(t: Test, replica: string) {
  const server = createServer(async (request, response) => {
    let body = ''
    for await (const chunk of request) body += String(chunk)
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ replica, body }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const kill = () => {
    server.close()
    server.closeAllConnections()
  }
  t.teardown(kill)
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, kill }
}

/** A waiter stand-in that reads each request, then cuts its connection without answering: a replica killed mid-request. */
async function cuttingReplica(t: Test) {
  const server = createServer((request) => request.resume().on('end', () => request.socket.destroy()))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

async function gatewayBefore(t: Test, replicas: Array<{ url: string }>) {
  return (await startGateway(t, replicas.map(({ url }) => url).join(','))).gateway
}

t.test('requests are spread over the waiters', async (t) => {
  const gateway = await gatewayBefore(t, [await waiterReplica(t, 'a'), await waiterReplica(t, 'b')])
  const answers = await Promise.all(Array.from({ length: 10 }, () => gateway.inject({ url: '/api/menu' })))
  t.same(new Set(answers.map((answer) => answer.json<Answer>().replica)), new Set(['a', 'b']))
})

t.test('with one waiter killed, every request goes to the other, an order with its body intact', async (t) => {
  const [a, b] = [await waiterReplica(t, 'a'), await waiterReplica(t, 'b')]
  const gateway = await gatewayBefore(t, [a, b])
  await gateway.inject({ url: '/api/menu' })
  b.kill()
  const orders = Array.from({ length: 20 }, (_, n) => JSON.stringify({ n }))
  const answers = await Promise.all(orders.map((payload) => gateway.inject({ method: 'POST', url: '/api/orders', headers: { ...asCustomer(), 'content-type': 'application/json' }, payload })))
  t.same(answers.map((answer) => answer.statusCode), orders.map(() => 200))
  t.same(answers.map((answer) => answer.json<Answer>()), orders.map((body) => ({ replica: 'a', body })))
})

t.test('a connection cut mid-request sends an order with an Idempotency-Key to another waiter, and one without it back as 502', async (t) => {
  const gateway = await gatewayBefore(t, [await cuttingReplica(t), await waiterReplica(t, 'a')])
  const post = (headers: Record<string, string>) =>
    gateway.inject({ method: 'POST', url: '/api/orders', headers: { ...asCustomer(), 'content-type': 'application/json', ...headers }, payload: '{}' })
  const keyed = await Promise.all(Array.from({ length: 10 }, (_, n) => post({ 'idempotency-key': `k-${n}` })))
  t.same(keyed.map((answer) => [answer.statusCode, answer.json<Answer>().replica]), keyed.map(() => [200, 'a']))
  const unkeyed = await Promise.all(Array.from({ length: 10 }, () => post({})))
  t.ok(unkeyed.some((answer) => answer.statusCode === 502), `some went to the cutting replica: ${unkeyed.map((answer) => answer.statusCode)}`)
})

t.test('with every waiter gone, the caller is told the service is unavailable', async (t) => {
  const replicas = [await waiterReplica(t, 'a'), await waiterReplica(t, 'b')]
  const gateway = await gatewayBefore(t, replicas)
  for (const replica of replicas) replica.kill()
  const answer = await gateway.inject({ method: 'POST', url: '/api/orders', headers: asCustomer(), payload: {} })
  t.equal(answer.statusCode, 503)
  t.equal(answer.json<{ code: string }>().code, 'upstream-unavailable')
})

t.test('a refused connection goes elsewhere for any method, a cut one only for what is safe to repeat, once per replica', async (t) => {
  const failover = failoverAcross(2)
  // reply-from's own policy would retry: it is never asked.
  const keepDefault = () => 5
  const attemptAfter = (code: string, method: string, attempt = 0, headers = {}) =>
    failover({ err: Object.assign(new Error(code), { code }), req: { method, headers }, res: undefined, attempt, retriesCount: 0, getDefaultDelay: keepDefault } as never)
  t.ok(attemptAfter('ECONNREFUSED', 'POST'))
  t.ok(attemptAfter('UND_ERR_SOCKET', 'GET'))
  t.equal(attemptAfter('UND_ERR_SOCKET', 'POST'), null)
  t.ok(attemptAfter('UND_ERR_SOCKET', 'POST', 0, { 'idempotency-key': 'k-1' }), 'a POST with an Idempotency-Key is safe to repeat')
  t.equal(attemptAfter('UND_ERR_HEADERS_TIMEOUT', 'GET'), null)
  t.equal(attemptAfter('ECONNREFUSED', 'GET', 2), null)
})

t.test('a GET the waiter answers 503 is passed on as it came, not tried again', async (t) => {
  const shedding = await sheddingUpstream(t)
  const gateway = await gatewayBefore(t, [shedding])
  const answer = await gateway.inject({ url: '/api/menu' })
  t.equal(answer.statusCode, 503)
  t.equal(shedding.asked(), 1, 'one upstream call per client request')
})
