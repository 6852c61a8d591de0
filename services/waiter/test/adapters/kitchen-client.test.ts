import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { IDENTITY_HEADER } from '@restaurant/contracts/identity'
import { buildOrder } from '@restaurant/contracts/testing'
import { createKitchenClient } from '../../src/adapters/kitchen-client.js'

// Nothing listens on a port the system keeps for itself: the connection is refused.
const unreachable = 'http://127.0.0.1:1'

type Handler = (request: IncomingMessage, response: ServerResponse) => void

/** A kitchen listening on port 0 that answers as `handler` says, and the requests it got. */
async function kitchenAnswering(t: Test, handler: Handler) {
  const requests: IncomingMessage[] = []
  const server = createServer((request, response) => {
    requests.push(request)
    handler(request, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { client: clientOf(url), requests, url }
}

const clientOf = (...kitchenUrls: [string, ...string[]]) => createKitchenClient({ kitchenUrls, timeoutMs: 500, identity: (call) => `signed for ${call.method} ${call.url}` })


const answer = (status: number, body: unknown): Handler => (_request, response) => {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

t.test("a ticket is read with the request's id and the waiter's identity, signed for that call", async (t) => {
  const ticket = { order: buildOrder(), fingerprint: 'fp', cookedUnits: [], cookingAttempts: [] }
  const { client, requests } = await kitchenAnswering(t, answer(200, ticket))
  t.same(await client.getTicket(ticket.order.id, 'req-1'), ticket)
  t.equal(requests[0]?.url, `/internal/orders/${ticket.order.id}`)
  t.match(requests[0]?.headers, { 'x-request-id': 'req-1', [IDENTITY_HEADER]: `signed for GET /internal/orders/${ticket.order.id}` })
})

t.test('a ticket the kitchen does not hold is undefined', async (t) => {
  const { client } = await kitchenAnswering(t, answer(404, { type: 'about:blank', title: 'Not found', status: 404, code: 'order-not-found' }))
  t.equal(await client.getTicket('no-such-order', 'req-1'), undefined)
})

t.test('a list is asked for with its query', async (t) => {
  const { client, requests } = await kitchenAnswering(t, answer(200, { orders: [] }))
  t.same(await client.listOrders({ status: 'placed', owner: 'alice', limit: 5 }, 'req-1'), { orders: [] })
  t.equal(requests[0]?.url, '/internal/orders?limit=5&status=placed&owner=alice')
})

t.test("the kitchen's refusal of a request is the caller's error, with its code", async (t) => {
  const problem = { type: 'about:blank', title: 'Invalid cursor', status: 400, code: 'invalid-cursor', invalidParams: [{ in: 'query', name: 'cursor', reason: 'malformed' }] }
  const { client } = await kitchenAnswering(t, answer(400, problem))
  await t.rejects(client.listOrders({ cursor: 'x' }, 'req-1'), { message: 'Invalid cursor', statusCode: 400, code: 'INVALID_CURSOR', invalidParams: problem.invalidParams })
})

t.test('a kitchen that fails, answers nonsense, is slow or is not there is unavailable (503)', async (t) => {
  const failing = await kitchenAnswering(t, answer(500, { oops: true }))
  await t.rejects(failing.client.getTicket('id', 'req-1'), { code: 'KITCHEN_UNAVAILABLE', statusCode: 503 })
  const nonsense = await kitchenAnswering(t, answer(200, { not: 'a ticket' }))
  await t.rejects(nonsense.client.getTicket('id', 'req-1'), { code: 'KITCHEN_UNAVAILABLE' })
  const slow = await kitchenAnswering(t, () => undefined)
  await t.rejects(slow.client.getTicket('id', 'req-1'), { code: 'KITCHEN_UNAVAILABLE' })
  await t.rejects(clientOf(unreachable).listOrders({}, 'req-1'), { code: 'KITCHEN_UNAVAILABLE' })
})

t.test('calls are spread over the kitchens', async (t) => {
  const [a, b] = [await kitchenAnswering(t, answer(200, { orders: [] })), await kitchenAnswering(t, answer(200, { orders: [] }))]
  const client = clientOf(a.url, b.url)
  for (let call = 0; call < 4; call++) await client.listOrders({}, 'req-1')
  t.ok(a.requests.length > 0 && b.requests.length > 0, `${a.requests.length} and ${b.requests.length} calls`)
})

t.test('a kitchen that cannot be reached is passed over for the next', async (t) => {
  const live = await kitchenAnswering(t, answer(200, { orders: [] }))
  const client = clientOf(unreachable, live.url)
  for (let call = 0; call < 4; call++) t.same(await client.listOrders({}, 'req-1'), { orders: [] })
  t.equal(live.requests.length, 4)
})
