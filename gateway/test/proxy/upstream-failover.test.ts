import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { asCustomer } from '../../../test/support/credentials.js'
import { startGateway } from '../../../test/support/gateway.js'
import { failoverAcross } from '../../src/proxy/upstream-failover.js'

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
  const keepDefault = () => null
  const attemptAfter = (code: string, method: string, attempt = 0) =>
    failover({ err: Object.assign(new Error(code), { code }), req: { method }, res: undefined, attempt, retriesCount: 0, getDefaultDelay: keepDefault } as never)
  t.ok(attemptAfter('ECONNREFUSED', 'POST'))
  t.ok(attemptAfter('UND_ERR_SOCKET', 'GET'))
  t.equal(attemptAfter('UND_ERR_SOCKET', 'POST'), null)
  t.equal(attemptAfter('UND_ERR_HEADERS_TIMEOUT', 'GET'), null)
  t.equal(attemptAfter('ECONNREFUSED', 'GET', 2), null)
})
